// Peeking (Wharf's PeekMessages, docs/console.md#peekmessages): messages in send order with
// everything they carry, read without receiving them — no visibility, receive count or group
// changes. Each comes with a handle DeleteMessage takes, valid while no receive happened since.
import { h, replace, errorText } from '../dom.js';

const PEEK_PAGE = 10;

export class MessagesSection {
  constructor(context, url) {
    this.context = context;
    this.url = url;
    this.list = h('div', { id: 'peeked', class: 'messages' });
    this.more = h('button', { type: 'button', id: 'peek-more', hidden: true, onclick: () => this.peek(this.next) }, 'Next messages');
    this.element = h('section', { class: 'card' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Messages'), h('span', { class: 'spacer' }),
        h('button', { type: 'button', id: 'peek', class: 'primary', onclick: () => this.peek() }, 'Peek')),
      h('p', { class: 'muted' }, 'Peeking shows messages in send order without receiving them.'),
      this.list, this.more);
  }

  clear() {
    replace(this.list);
    this.more.hidden = true;
  }

  async peek(token) {
    try {
      const page = await this.context.api.call('PeekMessages', {
        QueueUrl: this.url, MaxNumberOfMessages: PEEK_PAGE, ...(token ? { NextToken: token } : {}),
      });
      const messages = page.Messages ?? [];
      if (!token) this.clear();
      this.list.append(...messages.map((m) => this.card(m)));
      if (!token && messages.length === 0) replace(this.list, h('p', { class: 'muted', id: 'no-messages' }, 'No messages.'));
      this.next = page.NextToken;
      this.more.hidden = !page.NextToken;
    } catch (error) {
      this.context.failed(error);
    }
  }

  card(message) {
    const a = message.Attributes ?? {};
    const error = h('p', { class: 'error' });
    const card = h('article', { class: 'message', dataset: { messageId: message.MessageId } });
    const remove = async () => {
      try {
        await this.context.api.call('DeleteMessage', { QueueUrl: this.url, ReceiptHandle: message.ReceiptHandle });
        card.remove();
        this.context.notify(`Deleted ${message.MessageId}.`);
      } catch (failure) {
        replace(error, errorText(failure));
      }
    };
    const facts = [
      ['State', a.WharfState], ['Sent', a.SentTimestamp && new Date(Number(a.SentTimestamp)).toISOString()],
      ['Receives', a.ApproximateReceiveCount],
      ['First received', a.ApproximateFirstReceiveTimestamp && new Date(Number(a.ApproximateFirstReceiveTimestamp)).toISOString()],
      ['Group', a.MessageGroupId], ['Deduplication id', a.MessageDeduplicationId], ['Sequence number', a.SequenceNumber],
      ['Sender', a.SenderId], ['Dead-lettered from', a.DeadLetterQueueSourceArn], ['Trace header', a.AWSTraceHeader],
      ['MD5 of body', message.MD5OfBody],
    ].filter(([, v]) => v !== undefined && v !== null);
    const userAttributes = Object.entries(message.MessageAttributes ?? {}).sort(([x], [y]) => x.localeCompare(y));
    card.append(
      h('header', {}, h('span', { class: 'mono message-id' }, message.MessageId), h('span', { class: 'spacer' }),
        h('span', { class: `state ${a.WharfState ?? ''}` }, a.WharfState ?? ''),
        h('button', { type: 'button', class: 'danger delete-message', onclick: remove }, 'Delete')),
      h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      userAttributes.length ? h('table', { class: 'message-attributes' },
        h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Type'), h('th', {}, 'Value')),
        userAttributes.map(([name, v]) => h('tr', {}, h('td', {}, name), h('td', {}, v.DataType),
          h('td', { class: 'mono' }, v.StringValue ?? v.BinaryValue ?? '')))) : null,
      h('pre', { class: 'body' }, prettyBody(message.Body)),
      error);
    return card;
  }
}

/** A JSON body indented; anything else as it is. */
function prettyBody(body) {
  const trimmed = body.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return body;
  try { return JSON.stringify(JSON.parse(trimmed), null, 2); } catch { return body; }
}
