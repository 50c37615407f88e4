export * from './lib/inference-service.config';
export * from './lib/inference-service';
export type { KnownPredictions } from './lib/predictions/known-predictions.port';
export { ViewKnownPredictions } from './lib/predictions/view-known-predictions';
export type {
  PredictionContent,
  PredictionContentField,
  RecordedPredictionContent,
} from './lib/predictions/prediction-content';
