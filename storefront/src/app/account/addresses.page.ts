import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { errorOf, valueOf } from '../core/load-state';
import { AddressFieldsComponent, readAddress } from '../shared/address-fields.component';
import { StatusComponent } from '../shared/status.component';
import { AddressBookStore } from './address-book.store';

/** The address book: the saved addresses, deleting one, adding one (checked by the API). */
@Component({
  imports: [AddressFieldsComponent, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>My addresses</h1>
    <app-status [loading]="store.addresses().status === 'loading'" [error]="errorOf(store.addresses())" />
    <ul class="addresses">
      @for (address of saved(); track address.id) {
        <li>{{ address.name ? address.name + ', ' : '' }}{{ address.street }}, {{ address.zipCode }} {{ address.city }}
          @if (address.isDefaultShipping) { <strong>(default for shipping)</strong> }
          <button type="button" class="link" (click)="store.remove(address.id!)">Delete</button></li>
      } @empty { <li>No saved addresses yet.</li> }
    </ul>
    <form (submit)="add($event)" novalidate aria-labelledby="new-address">
      <fieldset>
        <legend id="new-address">A new address</legend>
        <app-address-fields idPrefix="book" [errors]="store.fieldErrors()" />
        <label class="choice"><input type="checkbox" name="isDefaultShipping" /> Default for shipping</label>
        <label class="choice"><input type="checkbox" name="isDefaultBilling" /> Default for billing</label>
      </fieldset>
      <app-status [error]="store.error()" />
      <button type="submit" [disabled]="store.busy()">Save the address</button>
    </form>
  `,
})
export class AddressesPage implements OnInit {
  protected readonly store = inject(AddressBookStore);
  protected readonly saved = () => valueOf(this.store.addresses(), []);
  protected readonly errorOf = errorOf;

  ngOnInit(): void {
    void this.store.load();
  }

  protected async add(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const saved = await this.store.add({ ...readAddress(form), isDefaultShipping: form.has('isDefaultShipping'),
                                         isDefaultBilling: form.has('isDefaultBilling') });
    if (saved) element.reset();
  }
}
