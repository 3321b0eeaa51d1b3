import { Component, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FieldErrorComponent } from './field-error.component';

@Component({
  imports: [FieldErrorComponent],
  template: `<input aria-describedby="email-error" /><app-field-error id="email-error" message="Already registered." />`,
})
class FormWithError {}

describe('FieldErrorComponent', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));

  it('gives its id to the message only, so the control describes itself by one element', async () => {
    const fixture = TestBed.createComponent(FormWithError);
    await fixture.whenStable();
    const named = (fixture.nativeElement as HTMLElement).querySelectorAll('#email-error');
    expect(named.length).toBe(1);
    expect(named[0].tagName).toBe('SPAN');
    expect(named[0].textContent).toBe('Already registered.');
  });
});
