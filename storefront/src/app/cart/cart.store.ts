import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiClient } from '../core/api/api-client';
import type { Cart, CartDestination, CartItemAdd } from '../core/api/api.types';
import { FieldErrors, describeProblem } from '../core/problem';
import { TokenStore } from '../core/auth/token.store';
import { CartTokenStore } from '../core/cart-token.store';

/** The shopper's cart (a guest's by its token, else the account's), shared by every page. */
@Injectable({ providedIn: 'root' })
export class CartStore {
  private readonly api = inject(ApiClient);
  private readonly tokens = inject(TokenStore);
  private readonly cartToken = inject(CartTokenStore);
  readonly cart = signal<Cart | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly itemCount = computed(() => this.cart()?.itemCount ?? 0);
  readonly needsAttention = computed(() =>
    (this.cart()?.lines ?? []).some((line) => line.priceChanged || line.availability !== 'in_stock'));
  /** A refused choice's message by the field it names (``code``, ``country``, ``shippingMethod``). */
  readonly fieldErrors = signal<FieldErrors>({});
  readonly shippingMethods = computed(() =>
    (this.cart()?.choices ?? []).filter((choice) => choice.input === 'shippingMethod'));
  readonly shippingMethod = computed(() =>
    this.cart()?.adjustments?.find((adjustment) => adjustment.kind === 'shipping')?.code ?? null);
  /** The shop prices by destination (shipping or tax): it asks for a country, or has priced one. */
  readonly pricesByDestination = computed(() => {
    const cart = this.cart();
    return !!cart && ('country' in (cart.notices ?? {}) || !!cart.pricingInputs?.['country']);
  });

  load(): Promise<boolean> {
    return this.run(() => this.api.cart());
  }
  /** On start-up: only a shopper who may have a cart costs a request (a new guest has none). */
  loadIfAny(): Promise<boolean> {
    return this.tokens.signedIn() || this.cartToken.token() ? this.load() : Promise.resolve(true);
  }
  add(item: CartItemAdd): Promise<boolean> {
    return this.run(() => this.api.addToCart(item));
  }
  setQuantity(variantId: string, quantity: number): Promise<boolean> {
    return this.run(() => this.api.setQuantity(variantId, quantity));
  }
  remove(variantId: string): Promise<boolean> {
    return this.run(() => this.api.removeFromCart(variantId));
  }
  applyCoupon(code: string): Promise<boolean> {
    return this.choose(() => this.api.applyCoupon(code));
  }
  removeCoupon(): Promise<boolean> {
    return this.choose(() => this.api.removeCoupon());
  }
  setDestination(destination: CartDestination): Promise<boolean> {
    return this.choose(() => this.api.setDestination(destination));
  }
  /** After an order: the API emptied the cart it came from. */
  forget(): void {
    this.cart.set(null);
  }

  /** A pricing choice: a refusal names its field (shown next to it) and leaves the cart as it was. */
  private async choose(call: () => Promise<Cart>): Promise<boolean> {
    this.loading.set(true);
    this.fieldErrors.set({});
    this.error.set(null);
    try {
      this.cart.set(await call());
      return true;
    } catch (error) {
      const problem = describeProblem(error);
      this.fieldErrors.set(problem.fields);
      if (!Object.keys(problem.fields).length) this.error.set(problem.message);
      return false;
    } finally {
      this.loading.set(false);
    }
  }

  private async run(call: () => Promise<Cart>): Promise<boolean> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.cart.set(await call());
      return true;
    } catch (error) {
      const problem = describeProblem(error);
      this.error.set(Object.values(problem.fields)[0] ?? problem.message);
      return false;
    } finally {
      this.loading.set(false);
    }
  }
}
