import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The proxy's Prometheus metrics, in a registry of their own (several proxies can share a process). */
export interface ProxyMetrics {
  registry: Registry;
  received: Counter<'route'>;
  accepted: Counter;
  rejected: Counter<'code'>;
  queued: Gauge;
  delivered: Counter<'endpoint'>;
  retried: Counter<'endpoint'>;
  deadLettered: Counter<'endpoint'>;
  mixpanelRequests: Counter<'endpoint'>;
  deliveryLatency: Histogram<'endpoint'>;
}

/** Creates the metrics; `queueSize` is read when Prometheus scrapes. */
export function createMetrics(queueSize: () => Promise<number>): ProxyMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    received: new Counter({ name: 'tally_proxy_messages_received_total', help: 'Messages received at ingest', labelNames: ['route'], registers }),
    accepted: new Counter({ name: 'tally_proxy_messages_accepted_total', help: 'Messages accepted and queued', registers }),
    rejected: new Counter({ name: 'tally_proxy_messages_rejected_total', help: 'Messages rejected at ingest, by reason', labelNames: ['code'], registers }),
    queued: new Gauge({
      name: 'tally_proxy_queue_size',
      help: 'Mixpanel operations waiting or in flight',
      registers,
      async collect() {
        this.set(await queueSize());
      },
    }),
    delivered: new Counter({ name: 'tally_proxy_operations_delivered_total', help: 'Operations Mixpanel accepted', labelNames: ['endpoint'], registers }),
    retried: new Counter({ name: 'tally_proxy_operations_retried_total', help: 'Operations scheduled for another attempt', labelNames: ['endpoint'], registers }),
    deadLettered: new Counter({ name: 'tally_proxy_operations_dead_lettered_total', help: 'Operations moved to the dead-letter table', labelNames: ['endpoint'], registers }),
    mixpanelRequests: new Counter({ name: 'tally_proxy_mixpanel_requests_total', help: 'HTTP requests sent to Mixpanel', labelNames: ['endpoint'], registers }),
    deliveryLatency: new Histogram({
      name: 'tally_proxy_delivery_latency_seconds',
      help: 'Time from enqueue to Mixpanel accepting the operation',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers,
    }),
  };
}
