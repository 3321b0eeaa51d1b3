import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthStore } from './core/auth/auth.store';
import { CartStore } from './cart/cart.store';

const STAFF_ROLES = new Set(['staff', 'admin']);

/** The shell: skip link, header with search, cart and account, the page, the footer. */
@Component({
  selector: 'app-root',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header">
      <a class="brand" routerLink="/">Commerce</a>
      <form role="search" aria-label="Site" (submit)="search($event)">
        <label class="visually-hidden" for="site-search">Search products</label>
        <input id="site-search" name="q" type="search" placeholder="Search products" maxlength="200" />
        <button type="submit">Search</button>
      </form>
      <nav aria-label="Main">
        <a routerLink="/products" routerLinkActive="active">Products</a>
        <a routerLink="/cart" routerLinkActive="active">Cart <span class="badge" aria-label="items">{{ cart.itemCount() }}</span></a>
        @if (auth.signedIn()) {
          <a routerLink="/account/orders" routerLinkActive="active">My orders</a>
          <a routerLink="/account/addresses" routerLinkActive="active">My addresses</a>
          <a routerLink="/account/profile" routerLinkActive="active">My account</a>
          @if (staff()) { <a routerLink="/admin" routerLinkActive="active">Console</a> }
          <button type="button" class="link" (click)="signOut()">Sign out</button>
        } @else {
          <a routerLink="/account/sign-in" routerLinkActive="active">Sign in</a>
        }
      </nav>
    </header>
    <main id="main"><router-outlet /></main>
    <footer class="site-footer"><p>Prices include taxes where they apply.</p></footer>
  `,
})
export class App {
  protected readonly auth = inject(AuthStore);
  protected readonly cart = inject(CartStore);
  private readonly router = inject(Router);
  /** A hint from the roles for the header link; the console itself asks the API what the user may do. */
  protected readonly staff = computed(() => (this.auth.user()?.roles ?? []).some((role) => STAFF_ROLES.has(role)));

  constructor() {
    void this.cart.loadIfAny();
  }

  protected search(event: Event): void {
    event.preventDefault();
    const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    void this.router.navigate(['/products'], { queryParams: q ? { q } : {} });
  }

  protected async signOut(): Promise<void> {
    await this.auth.signOut();
    this.cart.forget();
    await this.router.navigateByUrl('/');
  }
}
