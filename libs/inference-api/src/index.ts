export * from './lib/inference-service.config';
export * from './lib/inference-service';
export type { KnownPredictions } from './lib/predictions/known-predictions.port';
export type {
  PredictionContent,
  PredictionContentField,
  RecordedPredictionContent,
} from './lib/predictions/prediction-content';
