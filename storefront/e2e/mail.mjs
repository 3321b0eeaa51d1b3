// The site's mail folder (MAIL_DIR) as a shopper's inbox: the newest link to one of its pages.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** An .eml file's text with its quoted-printable encoding undone. */
function readable(raw) {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The newest mailed link to ``page`` (e.g. account/reset-password) in a mail to ``to``. */
export function mailedLink(folder, to, page) {
  const mails = readdirSync(folder).filter((name) => name.endsWith('.eml')).sort()
    .map((name) => readable(readFileSync(join(folder, name), 'latin1')))
    .filter((mail) => mail.includes(`To: ${to}`));
  const links = mails.flatMap((mail) => mail.match(new RegExp(`https?://\\S+/${page}\\?token=\\S+`, 'g')) ?? []);
  if (!links.length) throw new Error(`no mail to ${to} links to ${page}`);
  return links.at(-1);
}
