import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Says plainly where these settings are changed: in the site file, not here (decision 0029). */
@Component({
  selector: 'app-site-file-note',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="site-file-note">These settings are set in the site file, in its <code>[{{ section() }}]</code> section, and
      take effect when the site restarts. The console shows them as the site runs them; it cannot change them.</p>
  `,
})
export class SiteFileNoteComponent {
  readonly section = input.required<string>();
}
