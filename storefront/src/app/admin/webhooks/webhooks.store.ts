import { Injectable, inject, signal } from '@angular/core';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type {
  WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointCreate, WebhookEndpointCreated, WebhookEndpointUpdate,
} from '../../core/api/admin-api.types';
import { LOADING, LoadState, settle, valueOf } from '../../core/load-state';
import { describeProblem } from '../../core/problem';
import { FormOutcome, sent } from '../form-outcome';

const DELIVERIES_PAGE = 20;

/** Outgoing webhooks for staff: endpoints (the signing secret kept only until dismissed), their
 *  deliveries, newest first, and replays. */
@Injectable({ providedIn: 'root' })
export class WebhooksStore {
  private readonly api = inject(AdminApiClient);
  readonly endpoints = signal<LoadState<WebhookEndpoint[]>>(LOADING);
  /** The endpoint just created, with its secret: the API shows it this once. */
  readonly created = signal<WebhookEndpointCreated | null>(null);
  /** The endpoint whose deliveries are open, and they. */
  readonly opened = signal<WebhookEndpoint | null>(null);
  readonly deliveries = signal<LoadState<WebhookDeliveryPage>>(LOADING);
  /** The API's answer to the last replay (or its refusal), by delivery id. */
  readonly replays = signal<Record<string, string>>({});

  async load(): Promise<void> {
    this.endpoints.set(await settle(this.api.webhookEndpoints()));
  }

  create(endpoint: WebhookEndpointCreate): Promise<FormOutcome> {
    return sent(async () => this.created.set(await this.api.createWebhookEndpoint(endpoint)), () => this.load());
  }

  /** Forget the secret (the staff member has copied it). */
  dismissSecret(): void {
    this.created.set(null);
  }

  update(endpointId: string, update: WebhookEndpointUpdate): Promise<FormOutcome> {
    return sent(() => this.api.updateWebhookEndpoint(endpointId, update), () => this.load());
  }

  remove(endpointId: string): Promise<FormOutcome> {
    return sent(() => this.api.deleteWebhookEndpoint(endpointId), async () => {
      if (this.opened()?.id === endpointId) this.opened.set(null);
      await this.load();
    });
  }

  async openDeliveries(endpoint: WebhookEndpoint, page = 1): Promise<void> {
    if (this.opened()?.id !== endpoint.id) this.replays.set({});
    this.opened.set(endpoint);
    this.deliveries.set(LOADING);
    this.deliveries.set(await settle(this.api.webhookDeliveries(endpoint.id, page, DELIVERIES_PAGE)));
  }

  /** Send a delivery again; the log is read again to show its new round of attempts. */
  async replay(deliveryId: string): Promise<void> {
    const endpoint = this.opened();
    if (!endpoint) return;
    let said: string;
    try {
      await this.api.replayWebhookDelivery(endpoint.id, deliveryId);
      said = 'Sent again, with a fresh round of attempts.';
    } catch (error) {
      said = describeProblem(error).message;
    }
    await this.openDeliveries(endpoint, valueOf(this.deliveries(), null)?.page ?? 1);
    this.replays.update((all) => ({ ...all, [deliveryId]: said }));
  }
}
