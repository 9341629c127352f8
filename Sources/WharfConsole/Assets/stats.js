// A queue's live numbers: counts from GetQueueAttributes, send/receive rates from Wharf's
// cumulative counters when the server has them, the oldest message's age from a one-message
// peek (only for a queue that has messages), and a short history of depth and rates for the
// sparklines.
import { svg } from './dom.js';

const COUNTS = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
// Extension attributes (cumulative, cluster-wide), returned only when asked for by name.
const COUNTERS = ['WharfNumberOfMessagesSent', 'WharfNumberOfMessagesReceived'];
const HISTORY = 40;

/** Counts (and counters when supported) of one queue: one GetQueueAttributes. */
export async function queueCounts(context, url, extra = []) {
  const names = [...COUNTS, ...extra];
  if (context.ratesSupported !== false) {
    try {
      const { Attributes: a = {} } = await context.api.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: [...names, ...COUNTERS] });
      if (context.ratesSupported === null) context.ratesSupported = COUNTERS.every((n) => n in a);
      return a;
    } catch (error) {
      // A server without the counters refuses their names: ask without them from now on.
      if (error.code !== 'InvalidAttributeName') throw error;
      context.ratesSupported = false;
    }
  }
  const { Attributes: a = {} } = await context.api.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: names });
  return a;
}

export function depthOf(a) {
  return COUNTS.reduce((sum, name) => sum + Number(a[name] ?? 0), 0);
}

/** When the oldest message was sent, or null for an empty queue (then no call is made). */
export async function oldestSent(context, url, attributes) {
  if (depthOf(attributes) === 0) return null;
  const { Messages = [] } = await context.api.call('PeekMessages', { QueueUrl: url, MaxNumberOfMessages: 1 });
  return Messages.length ? Number(Messages[0].Attributes.SentTimestamp) : null;
}

/** Per queue: the last samples (for rates and the sparkline). Lives as long as the tab. */
export class History {
  constructor() { this.byQueue = new Map(); }

  /** Records a sample; returns {sentRate, receivedRate} per second when counters are there. */
  add(url, attributes, at = Date.now()) {
    const samples = this.byQueue.get(url) ?? [];
    const sample = {
      at, depth: depthOf(attributes),
      sent: numberOrNull(attributes.WharfNumberOfMessagesSent),
      received: numberOrNull(attributes.WharfNumberOfMessagesReceived),
    };
    const previous = samples.at(-1);
    samples.push(sample);
    if (samples.length > HISTORY) samples.shift();
    this.byQueue.set(url, samples);
    if (!previous || sample.sent === null || previous.sent === null || sample.at <= previous.at) return null;
    const seconds = (sample.at - previous.at) / 1000;
    return {
      sentRate: Math.max(0, (sample.sent - previous.sent) / seconds),
      receivedRate: Math.max(0, ((sample.received ?? 0) - (previous.received ?? 0)) / seconds),
    };
  }

  /** The recorded values of one series: 'depth', or the 'sent' or 'received' rate per second
   *  between consecutive samples (where the server has the counters). */
  series(url, kind = 'depth') {
    const samples = this.byQueue.get(url) ?? [];
    if (kind === 'depth') return samples.map((s) => s.depth);
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1], samples[i]];
      if (a[kind] === null || b[kind] === null || b.at <= a.at) continue;
      rates.push(Math.max(0, (b[kind] - a[kind]) / ((b.at - a.at) / 1000)));
    }
    return rates;
  }

  sparkline(url, width = 120, height = 24, kind = 'depth') {
    const values = this.series(url, kind);
    const peak = Math.max(0, ...values);
    const max = Math.max(kind === 'depth' ? 1 : 0.1, peak);
    const step = width / Math.max(1, HISTORY - 1);
    const offset = width - step * (values.length - 1);
    const points = values.map((d, i) => `${(offset + i * step).toFixed(1)},${(height - 1 - (d / max) * (height - 2)).toFixed(1)}`);
    const label = kind === 'depth' ? `depth, max ${peak}` : `${kind} per second, peak ${rate(peak)}`;
    return svg('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': label, 'data-series': kind, 'data-peak': String(peak) },
      svg('polyline', { points: points.join(' '), fill: 'none' }));
  }
}

function numberOrNull(value) {
  return value === undefined ? null : Number(value);
}

export function age(sentMillis, now = Date.now()) {
  if (sentMillis === null || sentMillis === undefined) return '—';
  const seconds = Math.max(0, Math.round((now - sentMillis) / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

export function rate(value) {
  return value === null || value === undefined ? '' : `${value < 10 ? value.toFixed(1) : Math.round(value)}/s`;
}
