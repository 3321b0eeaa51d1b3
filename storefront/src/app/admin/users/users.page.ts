import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import { Router } from '@angular/router';
import { errorOf, valueOf } from '../../core/load-state';
import { StatusComponent } from '../../shared/status.component';
import { UsersStore } from './users.store';

/** Customers and staff (admins only): find an account, give or take the staff role, deactivate. */
@Component({
  imports: [DatePipe, StatusComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Customers and staff</h1>
    <form class="filters" role="search" aria-label="Accounts" (submit)="find($event)">
      <label>Email <input type="email" name="email" [value]="email() ?? ''" maxlength="254" /></label>
      <button type="submit">Find</button>
    </form>
    @switch (store.users().status) {
      @case ('loading') { <app-status [loading]="true" /> }
      @case ('error') { <app-status [error]="errorOf(store.users())" /> }
      @case ('ready') {
        <table>
          <caption class="visually-hidden">Accounts</caption>
          <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Roles</th><th scope="col">Since</th>
            <th scope="col">Staff</th><th scope="col">Active</th></tr></thead>
          <tbody>
            @for (user of valueOf(store.users(), null)?.items ?? []; track user.id) {
              @let staff = (user.roles ?? []).includes('staff');
              <tr [attr.data-email]="user.email">
                <td>{{ user.email }}</td><td>{{ user.firstName }} {{ user.lastName }}</td>
                <td>{{ (user.roles ?? []).join(', ') }}</td><td>{{ user.createdAt | date: 'mediumDate' }}</td>
                <td><button type="button" class="secondary" (click)="store.setRole(user, 'staff', !staff)">
                  {{ staff ? 'Take staff role' : 'Make staff' }}<span class="visually-hidden"> ({{ user.email }})</span></button></td>
                <td><button type="button" class="secondary" (click)="store.setActive(user, !user.isActive)">
                  {{ user.isActive ? 'Deactivate' : 'Activate' }}<span class="visually-hidden"> {{ user.email }}</span></button></td>
              </tr>
              @if (store.refusals()[user.id]; as refusal) {
                <tr><td colspan="6" class="error" role="alert">{{ user.email }}: {{ refusal }}</td></tr>
              }
            } @empty { <tr><td colspan="6">No account matches.</td></tr> }
          </tbody>
        </table>
      }
    }
  `,
})
export class UsersPage {
  readonly email = input<string | undefined>(undefined);
  protected readonly store = inject(UsersStore);
  private readonly router = inject(Router);
  protected readonly valueOf = valueOf;
  protected readonly errorOf = errorOf;

  constructor() {
    effect(() => void this.store.load({ email: this.email() || undefined, pageSize: 50 }));
  }

  protected find(event: Event): void {
    event.preventDefault();
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    void this.router.navigate(['/admin/users'], { queryParams: email ? { email } : {} });
  }
}
