// Who the console calls as. A server without credentials (dev mode) takes unsigned calls; one
// with credentials needs every call signed, so the page asks for a key. The key is kept in this
// tab's sessionStorage at most (gone when the tab closes), never in a cookie, never sent.

const STORAGE_KEY = 'wharf.console.session';

// Dev mode accepts any key: one is used only to pick a region other than the server's default.
const DEV_KEY = { accessKeyId: 'wharf-console', secretAccessKey: 'wharf-console' };

export class Session {
  constructor() {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    this.credentials = saved?.credentials ?? null;
    this.region = saved?.region ?? '';
  }

  get signedIn() { return this.credentials !== null; }

  /** The key to sign with, or null for an unsigned call (dev mode, default region). */
  signingKey() {
    if (this.credentials) return this.credentials;
    return this.region ? DEV_KEY : null;
  }

  /** The region calls are signed for; '' = the server's default (unsigned, dev mode). */
  signingRegion() { return this.region || 'us-east-1'; }

  signIn(credentials, region) {
    this.credentials = credentials;
    this.region = region;
    this.save();
  }

  setRegion(region) {
    this.region = region;
    this.save();
  }

  signOut() {
    this.credentials = null;
    sessionStorage.removeItem(STORAGE_KEY);
  }

  save() {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ credentials: this.credentials, region: this.region }));
  }
}
