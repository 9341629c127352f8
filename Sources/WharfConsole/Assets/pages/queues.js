// The queue list: one page of ListQueues (filtered by name prefix) and, per queue shown, one
// GetQueueAttributes (and a one-message PeekMessages for a queue that has messages), refreshed
// every few seconds. A refresh never costs more than 1 + 2 × PAGE_SIZE calls, however many
// queues the account has.
import { queueName } from '../api.js';
import { h, replace, errorText } from '../dom.js';
import { History, age, oldestSent, queueCounts, rate } from '../stats.js';

export const PAGE_SIZE = 25;
const REFRESH_MILLIS = 3000;
const history = new History();

export class QueueListPage {
  constructor(context) {
    this.context = context;
    this.state = context.listState;
  }

  start() {
    const prefix = h('input', { id: 'prefix', placeholder: 'Queue name prefix', value: this.state.prefix, spellcheck: 'false' });
    prefix.addEventListener('input', () => {
      this.state.prefix = prefix.value;
      this.state.tokens = [undefined];
      this.state.page = 0;
      this.refresh();
    });
    const name = h('input', { id: 'new-queue-name', placeholder: 'new-queue or new-queue.fifo', required: true, spellcheck: 'false' });
    const create = h('form', { class: 'inline', id: 'create-queue', onsubmit: (e) => { e.preventDefault(); this.create(name.value.trim()); } },
      name, h('button', { type: 'submit', id: 'create-queue-submit', class: 'primary' }, 'Create queue'));
    this.rows = h('tbody', { id: 'queue-rows' });
    this.head = h('thead');
    this.pager = h('div', { class: 'pager' });
    this.status = h('p', { class: 'muted', id: 'list-status' });
    replace(this.context.main,
      h('section', { class: 'card' },
        h('div', { class: 'toolbar' }, h('h1', {}, 'Queues'), h('span', { class: 'spacer' }), prefix, create),
        h('table', { class: 'queues', id: 'queues' }, this.head, this.rows),
        this.pager, this.status));
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MILLIS);
  }

  stop() {
    clearInterval(this.timer);
    this.stopped = true;
  }

  async create(name) {
    try {
      const attributes = name.endsWith('.fifo') ? { FifoQueue: 'true' } : undefined;
      const { QueueUrl } = await this.context.api.call('CreateQueue', { QueueName: name, ...(attributes ? { Attributes: attributes } : {}) });
      location.hash = `#/queue/${encodeURIComponent(QueueUrl)}`;
    } catch (error) {
      this.context.failed(error);
    }
  }

  refresh() {
    return this.context.refreshing('queues', this, async () => {
      const { prefix, tokens, page } = this.state;
      const listed = await this.context.api.call('ListQueues', {
        MaxResults: PAGE_SIZE,
        ...(prefix ? { QueueNamePrefix: prefix } : {}),
        ...(tokens[page] ? { NextToken: tokens[page] } : {}),
      });
      const urls = listed.QueueUrls ?? [];
      tokens[page + 1] = listed.NextToken;
      const rows = await Promise.all(urls.map((url) => this.sample(url)));
      if (this.stopped) return false;
      if (urls.length) this.context.showScope(urls[0].split('/').at(-2));
      this.render(rows, Boolean(listed.NextToken));
    });
  }

  async sample(url) {
    try {
      const attributes = await queueCounts(this.context, url);
      const oldest = await oldestSent(this.context, url, attributes);
      return { url, attributes, oldest, rates: history.add(url, attributes) };
    } catch (error) {
      // Deleted since the listing (or refused by its policy): the row says so.
      return { url, error };
    }
  }

  render(rows, hasNext) {
    const rates = this.context.ratesSupported === true;
    replace(this.head, h('tr', {},
      h('th', {}, 'Name'), h('th', { class: 'n' }, 'Visible'), h('th', { class: 'n' }, 'In flight'),
      h('th', { class: 'n' }, 'Delayed'), h('th', { class: 'n' }, 'Oldest'),
      rates ? [h('th', { class: 'n' }, 'Sent'), h('th', { class: 'n' }, 'Received')] : [],
      h('th', {}, 'Depth')));
    const now = Date.now();
    replace(this.rows, rows.map((row) => {
      const a = row.attributes ?? {};
      const link = h('a', { href: `#/queue/${encodeURIComponent(row.url)}`, class: 'queue-link' }, queueName(row.url));
      if (row.error) return h('tr', { dataset: { queue: queueName(row.url) } }, h('td', {}, link), h('td', { colspan: 7, class: 'error' }, errorText(row.error)));
      return h('tr', { dataset: { queue: queueName(row.url) } },
        h('td', {}, link),
        h('td', { class: 'n visible' }, a.ApproximateNumberOfMessages),
        h('td', { class: 'n in-flight' }, a.ApproximateNumberOfMessagesNotVisible),
        h('td', { class: 'n delayed' }, a.ApproximateNumberOfMessagesDelayed),
        h('td', { class: 'n oldest' }, age(row.oldest, now)),
        rates ? [h('td', { class: 'n' }, rate(row.rates?.sentRate)), h('td', { class: 'n' }, rate(row.rates?.receivedRate))] : [],
        h('td', {}, history.sparkline(row.url)));
    }));
    const { page } = this.state;
    const go = (delta) => () => { this.state.page += delta; this.refresh(); };
    replace(this.pager,
      h('button', { type: 'button', id: 'previous-page', disabled: page === 0, onclick: go(-1) }, '← Previous'),
      h('span', { class: 'muted' }, ` page ${page + 1} `),
      h('button', { type: 'button', id: 'next-page', disabled: !hasNext, onclick: go(1) }, 'Next →'));
    replace(this.status, rows.length ? `${rows.length} queue${rows.length === 1 ? '' : 's'} on this page, refreshed every ${REFRESH_MILLIS / 1000} s`
      : 'No queues' + (this.state.prefix ? ` starting with “${this.state.prefix}”` : '') + '.');
  }
}
