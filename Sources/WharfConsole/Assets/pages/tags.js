// The queue's tags: ListQueueTags, TagQueue, UntagQueue.
import { h, replace, errorText } from '../dom.js';

export class TagsSection {
  constructor(context, url) {
    this.context = context;
    this.url = url;
    this.rows = h('tbody', { id: 'tag-rows' });
    this.key = h('input', { id: 'tag-key', placeholder: 'Key', required: true, spellcheck: 'false' });
    this.value = h('input', { id: 'tag-value', placeholder: 'Value', spellcheck: 'false' });
    this.error = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'card' },
      h('h2', {}, 'Tags'),
      h('table', { class: 'tags' }, this.rows),
      h('form', { class: 'inline', id: 'tag-form', onsubmit: (e) => { e.preventDefault(); this.add(); } },
        this.key, this.value, h('button', { type: 'submit', id: 'tag-add' }, 'Add tag')),
      this.error);
  }

  async load() {
    try {
      const { Tags = {} } = await this.context.api.call('ListQueueTags', { QueueUrl: this.url });
      const entries = Object.entries(Tags).sort(([a], [b]) => a.localeCompare(b));
      replace(this.rows, entries.length
        ? entries.map(([key, value]) => h('tr', { dataset: { tag: key } }, h('th', {}, key), h('td', {}, value),
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => this.remove(key) }, 'Remove'))))
        : h('tr', {}, h('td', { class: 'muted' }, 'No tags.')));
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }

  async add() {
    await this.change('TagQueue', { QueueUrl: this.url, Tags: { [this.key.value.trim()]: this.value.value } });
    this.key.value = '';
    this.value.value = '';
  }

  async remove(key) {
    await this.change('UntagQueue', { QueueUrl: this.url, TagKeys: [key] });
  }

  async change(operation, input) {
    replace(this.error, '');
    try {
      await this.context.api.call(operation, input);
      await this.load();
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }
}
