// SendMessage with message attributes, a delay (standard queues) or group and deduplication
// ids (FIFO queues); SQS's own error shows when it refuses.
import { h, replace, errorText } from '../dom.js';

export class SendSection {
  constructor(context, url, fifo, onSent) {
    this.context = context;
    this.url = url;
    this.fifo = fifo;
    this.onSent = onSent;
    this.body = h('textarea', { id: 'send-body', rows: 5, placeholder: 'Message body (JSON is shown pretty when peeked)', spellcheck: 'false' });
    this.delay = h('input', { id: 'send-delay', type: 'number', min: 0, max: 900, placeholder: 'queue default' });
    this.group = h('input', { id: 'send-group', placeholder: 'required on FIFO queues' });
    this.dedup = h('input', { id: 'send-dedup', placeholder: 'unless content-based' });
    this.attributeRows = h('div', { class: 'attribute-rows', id: 'send-attributes' });
    this.error = h('p', { class: 'error', id: 'send-error', role: 'alert' });
    const label = (text, input) => h('label', {}, h('span', {}, text), input);
    this.element = h('section', { class: 'card' },
      h('h2', {}, 'Send a message'),
      h('form', { id: 'send-form', onsubmit: (e) => { e.preventDefault(); this.send(); } },
        label('Body', this.body),
        fifo ? [label('Message group id', this.group), label('Deduplication id', this.dedup)] : label('Delay (seconds)', this.delay),
        this.attributeRows,
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'send-add-attribute', onclick: () => this.addAttribute() }, 'Add attribute'),
          h('button', { type: 'submit', id: 'send-submit', class: 'primary' }, 'Send')),
        this.error));
  }

  addAttribute() {
    const name = h('input', { class: 'attribute-name', placeholder: 'Name', spellcheck: 'false' });
    const type = h('select', { class: 'attribute-type' }, ['String', 'Number', 'Binary'].map((t) => h('option', { value: t }, t)));
    const value = h('input', { class: 'attribute-value', placeholder: 'Value (Binary: base64)', spellcheck: 'false' });
    const row = h('div', { class: 'attribute-row' }, name, type, value,
      h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, 'Remove'));
    this.attributeRows.append(row);
    name.focus();
  }

  async send() {
    replace(this.error, '');
    const attributes = {};
    for (const row of this.attributeRows.querySelectorAll('.attribute-row')) {
      const name = row.querySelector('.attribute-name').value.trim();
      const type = row.querySelector('.attribute-type').value;
      const value = row.querySelector('.attribute-value').value;
      if (!name) continue;
      attributes[name] = type === 'Binary' ? { DataType: type, BinaryValue: value } : { DataType: type, StringValue: value };
    }
    const input = { QueueUrl: this.url, MessageBody: this.body.value };
    if (Object.keys(attributes).length) input.MessageAttributes = attributes;
    if (this.fifo) {
      if (this.group.value) input.MessageGroupId = this.group.value;
      if (this.dedup.value) input.MessageDeduplicationId = this.dedup.value;
    } else if (this.delay.value !== '') {
      input.DelaySeconds = Number(this.delay.value);
    }
    try {
      const { MessageId } = await this.context.api.call('SendMessage', input);
      this.context.notify(`Sent ${MessageId}.`);
      this.body.value = '';
      this.onSent();
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }
}
