import { HttpTransport, TransportOptions } from './http-transport';
import { PredictionRecorder, PredictionRecorderOptions } from './prediction-recorder';
import type {
  CompleteRun,
  CreateDeployment,
  DefineSlice,
  FlagSlice,
  PredictionsAccepted,
  RecordEvaluation,
  RecordPredictions,
  RegisterDataset,
  RegisterDatasetVersion,
  RegisterModelVersion,
  RegisterPipeline,
  Registered,
  ReviseDeployment,
  RevokeModelVersion,
  StartRun,
} from './requests';

export interface ProvenanceClientOptions extends TransportOptions {
  /** Where each producer service listens, e.g. http://127.0.0.1:8081. */
  trainingUrl?: string;
  registryUrl?: string;
  inferenceUrl?: string;
}

interface CallOptions {
  /** Makes a retry of this call from your side a no-op too (otherwise one is generated per call). */
  idempotencyKey?: string;
}

const segment = encodeURIComponent;

/** A typed client of the platform's producer services. */
export class ProvenanceClient {
  private readonly transport: HttpTransport;

  constructor(private readonly options: ProvenanceClientOptions) {
    this.transport = new HttpTransport(options);
  }

  readonly datasets = {
    register: (body: RegisterDataset, o?: CallOptions) => this.write('training', '/v1/datasets', body, o),
    registerVersion: (datasetId: string, body: RegisterDatasetVersion, o?: CallOptions) =>
      this.write('training', `/v1/datasets/${segment(datasetId)}/versions`, body, o),
  };

  readonly slices = {
    define: (body: DefineSlice, o?: CallOptions) => this.write('training', '/v1/slices', body, o),
    flag: (sliceId: string, body: FlagSlice, o?: CallOptions) =>
      this.write('training', `/v1/slices/${segment(sliceId)}/flag`, body, o),
  };

  readonly pipelines = {
    register: (body: RegisterPipeline, o?: CallOptions) => this.write('training', '/v1/pipelines', body, o),
  };

  readonly runs = {
    start: (body: StartRun, o?: CallOptions) => this.write('training', '/v1/runs', body, o),
    complete: (runId: string, body: CompleteRun, o?: CallOptions) =>
      this.write('training', `/v1/runs/${segment(runId)}/complete`, body, o),
  };

  readonly evaluations = {
    record: (body: RecordEvaluation, o?: CallOptions) => this.write('training', '/v1/evaluations', body, o),
  };

  readonly models = {
    registerVersion: (name: string, body: RegisterModelVersion, o?: CallOptions) =>
      this.write('registry', `/v1/models/${segment(name)}/versions`, body, o),
    revoke: (name: string, version: string, body: RevokeModelVersion, o?: CallOptions) =>
      this.write('registry', `/v1/models/${segment(name)}/versions/${segment(version)}/revoke`, body, o),
  };

  readonly deployments = {
    create: (body: CreateDeployment, o?: CallOptions) => this.write('registry', '/v1/deployments', body, o),
    revise: (name: string, body: ReviseDeployment, o?: CallOptions) =>
      this.write('registry', `/v1/deployments/${segment(name)}/revisions`, body, o),
  };

  readonly predictions = {
    /** One batch of up to 10,000 predictions, as it is. */
    recordBatch: async (body: RecordPredictions, o?: CallOptions): Promise<PredictionsAccepted> =>
      (
        await this.transport.post<PredictionsAccepted>(
          this.url('inference', '/v1/predictions:batch'),
          body,
          o?.idempotencyKey,
        )
      ).body,
    /** A recorder that batches predictions by size and time (see PredictionRecorder). */
    recorder: (options: Omit<PredictionRecorderOptions, 'send'>) =>
      new PredictionRecorder({
        ...options,
        send: (batch, key) => this.predictions.recordBatch(batch, { idempotencyKey: key }),
      }),
  };

  private async write(
    service: 'training' | 'registry',
    path: string,
    body: unknown,
    o?: CallOptions,
  ): Promise<Registered> {
    const { body: answer } = await this.transport.post<Registered>(this.url(service, path), body, o?.idempotencyKey);
    return { id: answer.id, created: answer.created };
  }

  private url(service: 'training' | 'registry' | 'inference', path: string): string {
    const base = {
      training: this.options.trainingUrl,
      registry: this.options.registryUrl,
      inference: this.options.inferenceUrl,
    }[service];
    if (!base) throw new Error(`no ${service}Url was given to the ProvenanceClient`);
    return base.replace(/\/+$/, '') + path;
  }
}
