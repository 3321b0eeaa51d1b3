import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ProfilePage } from './profile.page';

describe('ProfilePage', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve));

  async function open(user: object) {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(ProfilePage);
    const backend = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toContain('Loading…');
    backend.expectOne('/api/users/me').flush(user);
    await settle();
    await fixture.whenStable();
    return { fixture, backend, page: fixture.nativeElement as HTMLElement };
  }

  it('an unverified address offers the link again and says plainly when it may not be sent', async () => {
    const { fixture, backend, page } = await open({ id: 'u1', email: 'ada@example.com', emailVerified: false });
    expect(page.querySelector('.email-state')?.textContent).toContain('Not verified yet');
    const again = [...page.querySelectorAll('button')].find((button) => button.textContent?.includes('Send the link again'));
    again!.click();
    backend.expectOne('/api/auth/email/resend').flush(
      { status: 429, title: 'Too Many Requests', detail: 'Too many requests: try again in an hour.' },
      { status: 429, statusText: 'Too Many Requests' });
    await settle();
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('Too many requests: try again in an hour.');
    backend.verify();
  });

  it('a verified address offers no link; every input has its label; the saved names are filled in', async () => {
    const { page } = await open({ id: 'u1', email: 'ada@example.com', emailVerified: true, firstName: 'Ada', lastName: null });
    expect(page.querySelector('.email-state')?.textContent).toContain('Verified');
    expect(page.textContent).not.toContain('Send the link again');
    const inputs = [...page.querySelectorAll('input')];
    expect(inputs.length).toBe(7);
    for (const input of inputs) expect(page.querySelector(`label[for="${input.id}"]`)).withContext(input.id).not.toBeNull();
    expect((page.querySelector('#name-firstName') as HTMLInputElement).value).toBe('Ada');
    expect((page.querySelector('#name-lastName') as HTMLInputElement).value).toBe('');
  });
});
