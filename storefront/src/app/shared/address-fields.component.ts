import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { Address } from '../core/api/api.types';
import { FieldErrors } from '../core/problem';
import { TextField, TextFieldsComponent } from './text-fields.component';

const ADDRESS_FIELDS: (TextField & { name: keyof Address })[] = [
  { name: 'name', label: 'Full name', autocomplete: 'name' },
  { name: 'street', label: 'Street', autocomplete: 'address-line1' },
  { name: 'street2', label: 'Street (line 2)', autocomplete: 'address-line2' },
  { name: 'city', label: 'City', autocomplete: 'address-level2' },
  { name: 'state', label: 'State', autocomplete: 'address-level1' },
  { name: 'zipCode', label: 'ZIP code', autocomplete: 'postal-code' },
  { name: 'country', label: 'Country', autocomplete: 'country' },
  { name: 'phone', label: 'Phone', autocomplete: 'tel' },
];

/** The lines a form filled in (the empty ones left out: the API checks the rest). */
export function readAddress(form: FormData): Address {
  const address: Record<string, string> = {};
  for (const { name } of ADDRESS_FIELDS) {
    const value = String(form.get(name) ?? '').trim();
    if (value) address[name] = value;
  }
  return address as unknown as Address;
}

/** An address's inputs (ids ``<idPrefix>-<field>``), each with the API's message for it beside it
 *  (``errors`` keyed ``<errorPrefix><field>``, e.g. ``shippingAddress.zipCode``); ``countryChange``
 *  says the country typed, for a page that prices by destination. */
@Component({
  selector: 'app-address-fields',
  imports: [TextFieldsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-text-fields [idPrefix]="idPrefix()" [fields]="fields" [errorPrefix]="errorPrefix()" [errors]="errors()"
                     (change)="changed($event)" />
  `,
})
export class AddressFieldsComponent {
  readonly idPrefix = input.required<string>();
  readonly errorPrefix = input('');
  readonly errors = input<FieldErrors>({});
  readonly countryChange = output<string>();
  protected readonly fields = ADDRESS_FIELDS;

  /** An input's change event, bubbled up from the fields. */
  protected changed(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.name === 'country') this.countryChange.emit(input.value.trim());
  }
}
