import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { AdminApiClient } from '../../core/api/admin-api-client';
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreate } from '../../core/api/admin-api.types';
import { WebhooksStore } from './webhooks.store';

const ENDPOINT: WebhookEndpoint = {
  id: 'e1', url: 'https://hooks.example.com/shop', description: '', eventTypes: ['order.paid'], enabled: true,
  consecutiveFailures: 0, disabledReason: null, createdAt: '2026-12-04T18:00:00Z',
};
const DELIVERY: WebhookDelivery = {
  id: 'd1', eventId: 7, eventType: 'order.paid', state: 'succeeded', attempts: 1, responseStatus: 200, durationMs: 12,
  error: null, createdAt: '2026-12-04T18:01:00Z', lastAttemptAt: '2026-12-04T18:01:00Z', deliveredAt: '2026-12-04T18:01:00Z',
};

describe('WebhooksStore', () => {
  let endpoints: WebhookEndpoint[];
  let attempts: number;
  const api = {
    webhookEndpoints: () => Promise.resolve(endpoints),
    createWebhookEndpoint: (body: WebhookEndpointCreate) => {
      if (!body.eventTypes.length) {
        return Promise.reject(new HttpErrorResponse({ status: 422, error: { errors: { eventTypes: ['Shorter than minimum length 1.'] } } }));
      }
      const made = { ...ENDPOINT, id: 'e2', url: body.url, eventTypes: body.eventTypes };
      endpoints = [...endpoints, made];
      return Promise.resolve({ ...made, secret: 'whsec_once' });
    },
    updateWebhookEndpoint: (id: string, changes: Partial<WebhookEndpoint>) => {
      endpoints = endpoints.map((endpoint) => (endpoint.id === id ? { ...endpoint, ...changes } : endpoint));
      return Promise.resolve(endpoints.find((endpoint) => endpoint.id === id));
    },
    deleteWebhookEndpoint: (id: string) => {
      endpoints = endpoints.filter((endpoint) => endpoint.id !== id);
      return Promise.resolve(null);
    },
    webhookDeliveries: () => Promise.resolve({ items: [{ ...DELIVERY, attempts, state: attempts > 1 ? 'pending' : 'succeeded' }],
                                               totalCount: 1, page: 1, pageSize: 20 }),
    replayWebhookDelivery: (_endpoint: string, delivery: string) => {
      if (delivery === 'missing') return Promise.reject(new HttpErrorResponse({ status: 404, error: { detail: 'No such delivery.' } }));
      attempts++;
      return Promise.resolve({ deliveryId: delivery, state: 'pending' });
    },
  };

  beforeEach(() => {
    endpoints = [ENDPOINT];
    attempts = 1;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: AdminApiClient, useValue: api }] });
  });

  it('keeps the secret of a new endpoint until it is dismissed, and lists the endpoint without it', async () => {
    const store = TestBed.inject(WebhooksStore);
    await store.load();
    const outcome = await store.create({ url: 'https://erp.example.com/in', eventTypes: ['order.placed'] });
    expect(outcome.ok).toBeTrue();
    expect(store.created()?.secret).toBe('whsec_once');
    expect(store.endpoints()).toEqual({ status: 'ready', value: [ENDPOINT, jasmine.objectContaining({ id: 'e2' })] });
    expect(JSON.stringify(store.endpoints())).not.toContain('whsec_once');
    store.dismissSecret();
    expect(store.created()).toBeNull();
  });

  it("keeps the API's refusal by the field it names and shows no secret", async () => {
    const store = TestBed.inject(WebhooksStore);
    const outcome = await store.create({ url: 'https://erp.example.com/in', eventTypes: [] });
    expect(outcome.fields['eventTypes']).toBe('Shorter than minimum length 1.');
    expect(store.created()).toBeNull();
  });

  it('disables and deletes an endpoint, closing its open deliveries', async () => {
    const store = TestBed.inject(WebhooksStore);
    await store.update('e1', { enabled: false });
    expect(store.endpoints()).toEqual({ status: 'ready', value: [jasmine.objectContaining({ enabled: false })] });
    await store.openDeliveries(ENDPOINT);
    await store.remove('e1');
    expect(store.opened()).toBeNull();
    expect(store.endpoints()).toEqual({ status: 'ready', value: [] });
  });

  it('replays a delivery and reads the log again; a refused replay says why', async () => {
    const store = TestBed.inject(WebhooksStore);
    await store.openDeliveries(ENDPOINT);
    await store.replay('d1');
    expect(store.deliveries()).toEqual({ status: 'ready', value: jasmine.objectContaining({
      items: [jasmine.objectContaining({ attempts: 2, state: 'pending' })] }) });
    expect(store.replays()['d1']).toBe('Sent again, with a fresh round of attempts.');
    await store.replay('missing');
    expect(store.replays()['missing']).toBe('No such delivery.');
  });
});
