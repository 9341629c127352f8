// One queue: live counts, every attribute (editable where SQS allows), tags, dead-letter
// settings and redrive, peeked messages, a send form, purge and delete.
import { queueName } from '../api.js';
import { h, replace } from '../dom.js';
import { History, age, oldestSent, queueCounts, rate } from '../stats.js';
import { AttributesSection } from './attributes.js';
import { MessagesSection } from './messages.js';
import { RedriveSection } from './redrive.js';
import { SendSection } from './send.js';
import { TagsSection } from './tags.js';

const REFRESH_MILLIS = 3000;
const history = new History();

export class QueuePage {
  constructor(context, url) {
    this.context = context;
    this.url = url;
    this.name = queueName(url);
    this.fifo = this.name.endsWith('.fifo');
  }

  start() {
    const { context, url } = this;
    this.counts = h('div', { class: 'counts', id: 'counts' });
    this.attributes = new AttributesSection(context, url, this.fifo, () => this.loaded());
    this.tags = new TagsSection(context, url);
    this.redrive = new RedriveSection(context, url);
    this.messages = new MessagesSection(context, url);
    this.send = new SendSection(context, url, this.fifo, () => this.refresh());
    const purge = h('button', { type: 'button', id: 'purge', class: 'danger', onclick: () => this.purge() }, 'Purge');
    const remove = h('button', { type: 'button', id: 'delete-queue', class: 'danger', onclick: () => this.deleteQueue() }, 'Delete queue');
    replace(context.main,
      h('p', {}, h('a', { href: '#/' }, '← Queues')),
      h('section', { class: 'card' },
        h('div', { class: 'toolbar' }, h('h1', { id: 'queue-name' }, this.name), h('span', { class: 'spacer' }), purge, remove),
        h('p', { class: 'muted mono' }, url),
        this.counts),
      h('div', { class: 'columns' },
        h('div', {}, this.messages.element, this.send.element),
        h('div', {}, this.attributes.element, this.redrive.element, this.tags.element)));
    this.attributes.load();
    this.tags.load();
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MILLIS);
  }

  stop() {
    clearInterval(this.timer);
    this.stopped = true;
  }

  /** The attributes arrived: the redrive section needs the queue's ARN. */
  loaded() {
    this.arn = this.attributes.values.QueueArn;
    this.redrive.load(this.attributes.values);
  }

  refresh() {
    return this.context.refreshing('queue', this, async () => {
      const a = await queueCounts(this.context, this.url);
      const oldest = await oldestSent(this.context, this.url, a);
      const rates = history.add(this.url, a);
      if (this.stopped) return false;
      const stat = (id, label, value) => h('div', { class: 'stat' }, h('span', { class: 'value', id }, value ?? '—'), h('span', { class: 'label' }, label));
      replace(this.counts,
        stat('count-visible', 'visible', a.ApproximateNumberOfMessages),
        stat('count-in-flight', 'in flight', a.ApproximateNumberOfMessagesNotVisible),
        stat('count-delayed', 'delayed', a.ApproximateNumberOfMessagesDelayed),
        stat('count-oldest', 'oldest', age(oldest)),
        this.context.ratesSupported === true
          ? [stat('rate-sent', 'sent', rate(rates?.sentRate) || '—'), stat('rate-received', 'received', rate(rates?.receivedRate) || '—')]
          : [],
        h('div', { class: 'stat' }, history.sparkline(this.url, 160, 32), h('span', { class: 'label' }, 'depth')),
        this.context.ratesSupported === true
          ? ['sent', 'received'].map((kind) => h('div', { class: 'stat' }, history.sparkline(this.url, 160, 32, kind),
                                                 h('span', { class: 'label' }, `${kind} / s`)))
          : []);
      await this.redrive.refresh();
    });
  }

  async purge() {
    if (!(await this.context.confirm(`Purge every message of ${this.name}? This cannot be undone.`))) return;
    try {
      await this.context.api.call('PurgeQueue', { QueueUrl: this.url });
      this.context.notify(`Purged ${this.name}.`);
      this.messages.clear();
      this.refresh();
    } catch (error) {
      this.context.failed(error);
    }
  }

  async deleteQueue() {
    if (!(await this.context.confirm(`Delete the queue ${this.name} and all its messages?`))) return;
    try {
      await this.context.api.call('DeleteQueue', { QueueUrl: this.url });
      location.hash = '#/';
    } catch (error) {
      this.context.failed(error);
    }
  }
}
