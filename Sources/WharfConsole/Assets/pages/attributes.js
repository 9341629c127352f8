// Every attribute GetQueueAttributes(All) returns; those SetQueueAttributes takes are editable,
// and a refused value shows SQS's own error (its code and message) next to the field.
import { h, replace, errorText } from '../dom.js';

// What SetQueueAttributes accepts (docs/sqs-behaviour.md): the rest is read-only.
const EDITABLE = ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout', 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'];
const EDITABLE_FIFO = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
const JSON_VALUED = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']);
const TIMESTAMPS = new Set(['CreatedTimestamp', 'LastModifiedTimestamp']);

export class AttributesSection {
  constructor(context, url, fifo, onLoad) {
    this.context = context;
    this.url = url;
    this.editable = new Set([...EDITABLE, ...(fifo ? EDITABLE_FIFO : [])]);
    this.onLoad = onLoad;
    this.values = {};
    this.body = h('tbody', { id: 'attribute-rows' });
    this.element = h('section', { class: 'card' },
      h('div', { class: 'toolbar' }, h('h2', {}, 'Attributes'), h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'link', onclick: () => this.load() }, 'Reload')),
      h('table', { class: 'attributes' }, this.body));
  }

  async load() {
    try {
      const { Attributes = {} } = await this.context.api.call('GetQueueAttributes', { QueueUrl: this.url, AttributeNames: ['All'] });
      this.values = Attributes;
      this.render();
      this.onLoad();
    } catch (error) {
      this.context.failed(error);
    }
  }

  render() {
    const names = [...new Set([...Object.keys(this.values), ...this.editable])].sort();
    replace(this.body, names.map((name) => this.row(name)));
  }

  row(name) {
    const value = this.values[name];
    const cell = h('td', { class: 'value' }, display(name, value));
    const row = h('tr', { dataset: { attribute: name } }, h('th', {}, name), cell);
    if (this.editable.has(name)) {
      row.append(h('td', {}, h('button', { type: 'button', class: 'link edit', onclick: () => this.edit(name, cell) }, 'Edit')));
    } else {
      row.append(h('td'));
    }
    return row;
  }

  edit(name, cell) {
    const current = this.values[name] ?? '';
    const input = JSON_VALUED.has(name)
      ? h('textarea', { class: 'edit-value', rows: 6, spellcheck: 'false' }, pretty(current))
      : h('input', { class: 'edit-value', value: current, spellcheck: 'false' });
    const error = h('p', { class: 'error attribute-error', role: 'alert' });
    const save = async () => {
      replace(error, '');
      const text = JSON_VALUED.has(name) ? compact(input.value) : input.value.trim();
      try {
        await this.context.api.call('SetQueueAttributes', { QueueUrl: this.url, Attributes: { [name]: text } });
        this.context.notify(`${name} saved.`);
        await this.load();
      } catch (failure) {
        // SQS's validation, as the server words it (InvalidAttributeValue: …).
        replace(error, errorText(failure));
      }
    };
    replace(cell, input, h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary save', onclick: save }, 'Save'),
      h('button', { type: 'button', class: 'cancel', onclick: () => this.render() }, 'Cancel')), error);
    input.focus();
  }
}

function display(name, value) {
  if (value === undefined) return h('span', { class: 'muted' }, 'not set');
  if (JSON_VALUED.has(name)) return h('pre', {}, pretty(value));
  if (TIMESTAMPS.has(name)) return `${value} (${new Date(Number(value) * 1000).toISOString()})`;
  return value;
}

function pretty(text) {
  try { return text ? JSON.stringify(JSON.parse(text), null, 2) : ''; } catch { return text; }
}

/** JSON edited with line breaks goes back compact; anything else as typed (SQS judges it). */
function compact(text) {
  try { return JSON.stringify(JSON.parse(text)); } catch { return text.trim(); }
}
