import { Counter, Gauge, Registry } from 'prom-client';

/** What the projector exports to Prometheus, by view generation. */
export class ProjectorMetrics {
  readonly eventsApplied: Counter<'generation' | 'type'>;
  readonly eventsReplayed: Counter<'generation' | 'type'>;
  readonly eventsSkipped: Counter<'generation'>;
  readonly deadLetters: Counter<'generation' | 'reason'>;
  readonly lag: Gauge<'generation' | 'topic' | 'partition'>;
  readonly eventsPerSecond: Gauge<'generation'>;
  readonly etaSeconds: Gauge<'generation'>;
  readonly alerts: Gauge<'generation' | 'type'>;
  readonly alertsRaised: Counter<'generation' | 'type'>;
  readonly alertNotifications: Counter<'outcome'>;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.eventsApplied = new Counter({
      name: 'projector_events_applied_total',
      help: 'Events folded into the views, by generation and event type',
      labelNames: ['generation', 'type'],
      registers,
    });
    this.eventsReplayed = new Counter({
      name: 'projector_events_replayed_total',
      help: 'Copies of events the generation had admitted already (same id, same digest): folded again, changing nothing',
      labelNames: ['generation', 'type'],
      registers,
    });
    this.eventsSkipped = new Counter({
      name: 'projector_events_skipped_total',
      help: 'Events an audit generation left out because they were recorded after its as-of time',
      labelNames: ['generation'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'projector_dead_letters_total',
      help: 'Messages refused and sent to the dead-letter topic, by reason',
      labelNames: ['generation', 'reason'],
      registers,
    });
    this.lag = new Gauge({
      name: 'projector_consumer_lag',
      help: 'Records on the log not yet folded into the generation, by topic and partition',
      labelNames: ['generation', 'topic', 'partition'],
      registers,
    });
    this.eventsPerSecond = new Gauge({
      name: 'projector_events_per_second',
      help: 'Records folded per second over the last progress interval',
      labelNames: ['generation'],
      registers,
    });
    this.etaSeconds = new Gauge({
      name: 'projector_catch_up_eta_seconds',
      help: 'Estimated seconds until the generation has caught up with the log',
      labelNames: ['generation'],
      registers,
    });
    this.alerts = new Gauge({
      name: 'projector_alerts',
      help: 'Open lineage alerts in the generation, by type',
      labelNames: ['generation', 'type'],
      registers,
    });
    this.alertsRaised = new Counter({
      name: 'projector_alerts_raised_total',
      help: 'Alerts newly stored in the generation, by type (one that goes on holding is not raised again)',
      labelNames: ['generation', 'type'],
      registers,
    });
    this.alertNotifications = new Counter({
      name: 'projector_alert_notifications_total',
      help: 'Raised alerts posted to the alert webhook, by outcome (delivered, failed after every retry)',
      labelNames: ['outcome'],
      registers,
    });
  }
}
