// Dead letters: where this queue's failures go (its RedrivePolicy), which queues dead-letter
// into it (ListDeadLetterSourceQueues) and, for a dead-letter queue, redrives: start
// (StartMessageMoveTask), watch (ListMessageMoveTasks, on every refresh) and cancel.
import { queueName } from '../api.js';
import { h, replace, errorText } from '../dom.js';

export class RedriveSection {
  constructor(context, url) {
    this.context = context;
    this.url = url;
    this.policy = h('div', { id: 'redrive-policy' });
    this.sources = h('ul', { id: 'dead-letter-sources' });
    this.tasks = h('tbody', { id: 'move-tasks' });
    this.error = h('p', { class: 'error', id: 'redrive-error', role: 'alert' });
    this.destination = h('input', { id: 'redrive-destination', placeholder: 'ARN (empty: back to each source)', spellcheck: 'false' });
    this.rate = h('input', { id: 'redrive-rate', type: 'number', min: 1, max: 500, placeholder: 'as fast as possible' });
    this.mover = h('div', { id: 'redrive', hidden: true },
      h('h3', {}, 'Redrive'),
      h('form', { class: 'stack', id: 'redrive-form', onsubmit: (e) => { e.preventDefault(); this.start(); } },
        h('label', {}, h('span', {}, 'Destination'), this.destination),
        h('label', {}, h('span', {}, 'Messages per second'), this.rate),
        h('button', { type: 'submit', id: 'redrive-start', class: 'primary' }, 'Start redrive')),
      h('table', { class: 'tasks' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', { class: 'n' }, 'Moved'), h('th', { class: 'n' }, 'To move'), h('th', {}, 'Destination'), h('th'))),
        this.tasks));
    this.element = h('section', { class: 'card' },
      h('h2', {}, 'Dead letters'), this.policy,
      h('h3', {}, 'Queues that dead-letter into this one'), this.sources, this.mover, this.error);
  }

  async load(attributes) {
    this.arn = attributes.QueueArn;
    const policy = parse(attributes.RedrivePolicy);
    replace(this.policy, policy
      ? h('p', {}, 'Messages received more than ', h('strong', {}, String(policy.maxReceiveCount)), ' times go to ',
        h('span', { class: 'mono' }, policy.deadLetterTargetArn?.split(':').pop() ?? '?'), '.')
      : h('p', { class: 'muted' }, 'No dead-letter queue (RedrivePolicy not set).'));
    try {
      const sources = await this.context.api.all('ListDeadLetterSourceQueues', { QueueUrl: this.url, MaxResults: 100 }, 'queueUrls', 100);
      replace(this.sources, sources.length
        ? sources.map((url) => h('li', {}, h('a', { href: `#/queue/${encodeURIComponent(url)}` }, queueName(url))))
        : h('li', { class: 'muted' }, 'None.'));
      this.isDeadLetterQueue = sources.length > 0;
      this.mover.hidden = !this.isDeadLetterQueue;
      await this.refresh();
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }

  /** Called on every page refresh: the tasks of a dead-letter queue (one call), else nothing. */
  async refresh() {
    if (!this.isDeadLetterQueue || !this.arn) return;
    try {
      const { Results = [] } = await this.context.api.call('ListMessageMoveTasks', { SourceArn: this.arn, MaxResults: 10 });
      replace(this.tasks, Results.map((task) => h('tr', { dataset: { status: task.Status } },
        h('td', { class: 'task-status' }, task.Status, task.FailureReason ? ` (${task.FailureReason})` : ''),
        h('td', { class: 'n' }, task.ApproximateNumberOfMessagesMoved ?? 0),
        h('td', { class: 'n' }, task.ApproximateNumberOfMessagesToMove ?? ''),
        h('td', { class: 'mono' }, task.DestinationArn ? task.DestinationArn.split(':').pop() : 'sources'),
        h('td', {}, task.Status === 'RUNNING' && task.TaskHandle
          ? h('button', { type: 'button', class: 'danger cancel-task', onclick: () => this.cancel(task.TaskHandle) }, 'Cancel')
          : null))));
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }

  async start() {
    replace(this.error, '');
    const input = { SourceArn: this.arn };
    if (this.destination.value.trim()) input.DestinationArn = this.destination.value.trim();
    if (this.rate.value !== '') input.MaxNumberOfMessagesPerSecond = Number(this.rate.value);
    try {
      await this.context.api.call('StartMessageMoveTask', input);
      this.context.notify('Redrive started.');
      await this.refresh();
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }

  async cancel(handle) {
    try {
      await this.context.api.call('CancelMessageMoveTask', { TaskHandle: handle });
      this.context.notify('Redrive cancelled.');
      await this.refresh();
    } catch (error) {
      replace(this.error, errorText(error));
    }
  }
}

function parse(text) {
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}
