// Signing in: the key is tried with one ListQueues before it is kept, so a wrong key shows
// SQS's own answer (InvalidClientTokenId, SignatureDoesNotMatch) here and nowhere else.
import { h, replace, errorText } from '../dom.js';

export class LoginPage {
  constructor(context) { this.context = context; }

  start() {
    const { session } = this.context;
    const error = h('p', { class: 'error', id: 'login-error', role: 'alert' },
      this.context.authError ? errorText(this.context.authError) : '');
    this.context.authError = null;
    const field = (label, input) => h('label', {}, h('span', {}, label), input);
    const keyId = h('input', { id: 'login-key', name: 'accessKeyId', autocomplete: 'username', required: true, spellcheck: 'false' });
    const secret = h('input', { id: 'login-secret', name: 'secret', type: 'password', autocomplete: 'current-password', required: true });
    const token = h('input', { id: 'login-token', name: 'sessionToken', autocomplete: 'off' });
    const region = h('input', { id: 'login-region', name: 'region', value: session.region || 'us-east-1', required: true });
    const form = h('form', { class: 'card login', id: 'login-form', onsubmit: (event) => { event.preventDefault(); this.submit(); } },
      h('h1', {}, 'Sign in'),
      h('p', { class: 'muted' }, 'This server requires signed requests. Every call the console makes is signed in this tab with the key below; the secret is never sent and is forgotten when the tab closes.'),
      field('Access key id', keyId), field('Secret access key', secret),
      field('Session token (optional)', token), field('Region', region),
      error,
      h('button', { type: 'submit', id: 'login-submit', class: 'primary' }, 'Sign in'));
    this.fields = { keyId, secret, token, region, error };
    replace(this.context.main, form);
    keyId.focus();
  }

  async submit() {
    const { api, session } = this.context;
    const { keyId, secret, token, region, error } = this.fields;
    replace(error, '');
    session.signIn({
      accessKeyId: keyId.value.trim(),
      secretAccessKey: secret.value,
      ...(token.value.trim() ? { sessionToken: token.value.trim() } : {}),
    }, region.value.trim());
    try {
      await api.call('ListQueues', { MaxResults: 1 });
      location.hash = '#/';
    } catch (failure) {
      session.signOut();
      replace(error, errorText(failure));
    }
  }

  stop() {}
}
