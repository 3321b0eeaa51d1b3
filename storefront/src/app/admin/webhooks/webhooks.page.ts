import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import type { WebhookEndpoint, WebhookEventType } from '../../core/api/admin-api.types';
import { errorOf, valueOf } from '../../core/load-state';
import { FieldErrorComponent } from '../../shared/field-error.component';
import { StatusComponent } from '../../shared/status.component';
import { FormOutcome, NO_PROBLEM, rowMessage } from '../form-outcome';
import { WebhooksStore } from './webhooks.store';

/** Every event an endpoint may receive (the compiler fails here when the API gains one). */
const EVENTS: Record<WebhookEventType, string> = {
  'order.placed': 'Order placed', 'order.paid': 'Order paid', 'order.cancelled': 'Order cancelled',
  'order.refunded': 'Order refunded', 'order.status_changed': 'Order status changed', 'stock.low': 'Stock low',
};

/** Outgoing webhooks: endpoints (the secret shown once, to copy), their deliveries, replays. */
@Component({
  imports: [DatePipe, FieldErrorComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Webhooks</h1>
    <p>Each endpoint receives the events it subscribes to as signed POST requests (Standard Webhooks), retried for
      about a day until it answers 2xx; after many failures in a row it is disabled.</p>
    @if (store.created(); as made) {
      <section class="secret confirm" aria-labelledby="secret-heading">
        <h2 id="secret-heading">Signing secret of {{ made.url }}</h2>
        <p>Copy it now: it is shown only this once. The receiver checks each delivery's signature with it.</p>
        <div class="inline-form">
          <label for="webhook-secret">Secret</label>
          <input #secret id="webhook-secret" readonly [value]="made.secret" size="48" />
          <button type="button" (click)="copy(made.secret, secret)">Copy</button>
          <button type="button" class="secondary" (click)="store.dismissSecret(); copied.set('')">Done</button>
        </div>
        <p role="status">{{ copied() }}</p>
      </section>
    }

    <section aria-labelledby="webhook-form-heading">
      <h2 id="webhook-form-heading">{{ editing() ? 'Change ' + editing()!.url : 'New endpoint' }}</h2>
      @for (endpoint of [editing()]; track endpoint?.id ?? 'new') {
        <form class="webhook-form" (submit)="save($event, endpoint)" novalidate>
          <div class="field">
            <label for="webhook-url">URL</label>
            <input id="webhook-url" name="url" type="url" maxlength="2000" [value]="endpoint?.url ?? ''"
                   [attr.aria-invalid]="!!outcome().fields['url']" aria-describedby="webhook-url-error" />
            <app-field-error [id]="'webhook-url-error'" [message]="outcome().fields['url']" />
          </div>
          <div class="field">
            <label for="webhook-description">Description</label>
            <input id="webhook-description" name="description" maxlength="200" [value]="endpoint?.description ?? ''"
                   [attr.aria-invalid]="!!outcome().fields['description']" aria-describedby="webhook-description-error" />
            <app-field-error [id]="'webhook-description-error'" [message]="outcome().fields['description']" />
          </div>
          <fieldset class="events" aria-describedby="webhook-events-error" [attr.aria-invalid]="!!outcome().fields['eventTypes']">
            <legend>Events</legend>
            @for (entry of events; track entry[0]) {
              <label><input type="checkbox" name="eventTypes" [value]="entry[0]"
                            [checked]="endpoint?.eventTypes?.includes(entry[0])" /> {{ entry[1] }}</label>
            }
            <app-field-error [id]="'webhook-events-error'" [message]="outcome().fields['eventTypes']" />
          </fieldset>
          <button type="submit">{{ endpoint ? 'Save changes' : 'Create endpoint' }}</button>
          @if (endpoint) { <button type="button" class="secondary" (click)="edit(null)">Cancel</button> }
          <app-status [error]="outcome().message" />
        </form>
      }
    </section>

    <h2>Endpoints</h2>
    @if (pendingDelete(); as endpoint) {
      <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete">
        <p id="confirm-delete">Delete the endpoint {{ endpoint.url }} and its delivery log? This cannot be undone.</p>
        <button type="button" (click)="remove(endpoint)">Delete</button>
        <button type="button" class="secondary" (click)="pendingDelete.set(null)">Back</button>
      </div>
    }
    @switch (store.endpoints().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.endpoints())" /> }
      @case ('ready') {
        <table class="endpoints">
          <caption class="visually-hidden">Webhook endpoints</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">Description</th><th scope="col">Events</th>
            <th scope="col">State</th><th scope="col">Failures in a row</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (endpoint of valueOf(store.endpoints(), []); track endpoint.id) {
              <tr [attr.data-url]="endpoint.url">
                <td class="url">{{ endpoint.url }}</td>
                <td>{{ endpoint.description }}</td>
                <td>{{ labels(endpoint.eventTypes) }}</td>
                <td class="endpoint-state">{{ endpoint.enabled ? 'Enabled' : 'Disabled' }}{{ endpoint.disabledReason ? ': ' + endpoint.disabledReason : '' }}</td>
                <td>{{ endpoint.consecutiveFailures }}</td>
                <td class="actions">
                  <button type="button" class="link" (click)="store.openDeliveries(endpoint)">Deliveries<span class="visually-hidden"> to {{ endpoint.url }}</span></button>
                  <button type="button" class="link" (click)="edit(endpoint)">Edit<span class="visually-hidden"> {{ endpoint.url }}</span></button>
                  <button type="button" class="secondary" (click)="setEnabled(endpoint, !endpoint.enabled)">{{ endpoint.enabled ? 'Disable' : 'Enable' }}<span class="visually-hidden"> {{ endpoint.url }}</span></button>
                  <button type="button" class="secondary" (click)="pendingDelete.set(endpoint)">Delete…<span class="visually-hidden"> {{ endpoint.url }}</span></button>
                </td>
              </tr>
              @if (rowErrors()[endpoint.id]; as message) { <tr><td colspan="6" class="error" role="alert">{{ endpoint.url }}: {{ message }}</td></tr> }
            } @empty { <tr><td colspan="6">No endpoint yet.</td></tr> }
          </tbody>
        </table>
      }
    }

    @if (store.opened(); as endpoint) {
      <section class="deliveries" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries to {{ endpoint.url }}</h2>
        @switch (store.deliveries().status) {
          @case ('loading') { <app-status [loading]="true" /> }
          @case ('error') { <app-status [error]="errorOf(store.deliveries())" /> }
          @case ('ready') {
            @if (valueOf(store.deliveries(), null); as page) {
              <table>
                <caption class="visually-hidden">Deliveries, newest first</caption>
                <thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">State</th>
                  <th scope="col">Attempts</th><th scope="col">Answer</th><th scope="col">Time</th><th scope="col">Error</th>
                  <th scope="col"><span class="visually-hidden">Replay</span></th></tr></thead>
                <tbody>
                  @for (delivery of page.items; track delivery.id) {
                    <tr class="delivery" [attr.data-delivery]="delivery.id" [attr.data-event]="delivery.eventType">
                      <td>{{ delivery.createdAt | date: 'medium' }}</td>
                      <td>{{ delivery.eventType }} #{{ delivery.eventId }}</td>
                      <td class="delivery-state">{{ delivery.state }}</td>
                      <td class="delivery-attempts">{{ delivery.attempts }}</td>
                      <td class="delivery-status">{{ delivery.responseStatus ?? '—' }}</td>
                      <td>{{ delivery.durationMs !== null ? delivery.durationMs + ' ms' : '—' }}</td>
                      <td>{{ delivery.error }}</td>
                      <td><button type="button" (click)="store.replay(delivery.id)">Replay<span class="visually-hidden"> {{ delivery.eventType }} #{{ delivery.eventId }}</span></button></td>
                    </tr>
                    @if (store.replays()[delivery.id]; as said) { <tr><td colspan="8" role="status" class="replayed">{{ said }}</td></tr> }
                  } @empty { <tr><td colspan="8">No delivery yet: one is made for each subscribed event.</td></tr> }
                </tbody>
              </table>
              <p>{{ page.totalCount }} deliveries.
                @if (page.page > 1) { <button type="button" class="link" (click)="store.openDeliveries(endpoint, page.page - 1)">Newer</button> }
                @if (page.page * page.pageSize < page.totalCount) { <button type="button" class="link" (click)="store.openDeliveries(endpoint, page.page + 1)">Older</button> }
              </p>
            }
          }
        }
      </section>
    }
  `,
})
export class WebhooksPage {
  protected readonly store = inject(WebhooksStore);
  protected readonly events = Object.entries(EVENTS) as [WebhookEventType, string][];
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;
  protected readonly editing = signal<WebhookEndpoint | null>(null);
  protected readonly outcome = signal<FormOutcome>(NO_PROBLEM);
  protected readonly pendingDelete = signal<WebhookEndpoint | null>(null);
  protected readonly rowErrors = signal<Record<string, string>>({});
  protected readonly copied = signal('');

  constructor() {
    void this.store.load();
    inject(DestroyRef).onDestroy(() => this.store.dismissSecret());  // shown once: not again on a later visit
  }

  protected labels(types: readonly string[]): string {
    return types.map((type) => EVENTS[type as WebhookEventType] ?? type).join(', ');
  }

  /** To the clipboard where the browser allows it; otherwise the secret is selected for the keyboard's copy. */
  protected async copy(secret: string, input: HTMLInputElement): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      this.copied.set('Copied to the clipboard.');
    } catch {
      input.select();
      this.copied.set('Selected: press Ctrl+C (⌘C) to copy it.');
    }
  }

  protected edit(endpoint: WebhookEndpoint | null): void {
    this.outcome.set(NO_PROBLEM);
    this.editing.set(endpoint);
  }

  protected async save(event: Event, endpoint: WebhookEndpoint | null): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body = {
      url: String(form.get('url') ?? '').trim(),
      description: String(form.get('description') ?? '').trim(),
      eventTypes: form.getAll('eventTypes').map(String) as WebhookEventType[],
    };
    const outcome = endpoint ? await this.store.update(endpoint.id, body) : await this.store.create(body);
    this.outcome.set(outcome);
    if (outcome.ok) {
      this.editing.set(null);
      (event.target as HTMLFormElement).reset();
    }
  }

  protected setEnabled(endpoint: WebhookEndpoint, enabled: boolean): Promise<void> {
    return this.rowAction(endpoint, () => this.store.update(endpoint.id, { enabled }));
  }

  protected remove(endpoint: WebhookEndpoint): Promise<void> {
    this.pendingDelete.set(null);
    return this.rowAction(endpoint, () => this.store.remove(endpoint.id));
  }

  private async rowAction(endpoint: WebhookEndpoint, action: () => Promise<FormOutcome>): Promise<void> {
    const outcome = await action();
    this.rowErrors.update((all) => ({ ...all, [endpoint.id]: rowMessage(outcome) }));
  }
}
