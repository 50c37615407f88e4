import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  buildMessage,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import {
  CAPTURE_LEVELS,
  FLAG_SEVERITIES,
  ID_PATTERNS,
  IsName,
  MAX_KEY_LENGTH,
  SLICE_ROLES,
  type CaptureLevel,
  type FlagSeverity,
} from '@prov/contracts';

/**
 * The provenance policy document (`apiVersion: provenance/v1`, `kind:
 * ProvenancePolicy`), declared once: validation (policy.parser.ts) and the
 * JSON Schema (json-schema/) both read these declarations.
 */

export const POLICY_API_VERSION = 'provenance/v1';
export const POLICY_KIND = 'ProvenancePolicy';

/** What `requiredFields` may name on top of the capture level; evaluation/field-requirement.ts maps each onto the lineage. */
export const REQUIRED_FIELDS = [
  'seeds',
  'hyperparameters',
  'environment',
  'pipeline',
  'slices',
  'datasetVersion',
  'samplingFractions',
  'runCompleted',
] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

/** A role of the run's inputs, or one slice by id (also a slice the run did not read, such as a holdout). */
const SLICE_SELECTOR = new RegExp(`^(?:${SLICE_ROLES.join('|')}|${ID_PATTERNS.dataSlice.source.slice(1, -1)})$`);

const MAX_LIST_ENTRIES = 1000;

/** How a deployment's prediction outputs may be recorded: as given, or only as their digests (`outputDigest`). */
export const OUTPUT_CAPTURES = ['raw', 'digest-only'] as const;
export type OutputCapture = (typeof OUTPUT_CAPTURES)[number];

/** Flags at `minSeverity` or worse fail the policy; milder ones do not. */
export class FlaggedSliceRule {
  @IsIn(FLAG_SEVERITIES) minSeverity!: FlagSeverity;
}

/** `{ modelRegistrar: true }`: the principal that registered the model version may not approve it either. */
export class SeparationOfDutiesRule {
  @IsBoolean() modelRegistrar!: boolean;
}

/** A metric the model version must have been evaluated on, within bounds. */
export class RequiredEvaluation {
  @Matches(SLICE_SELECTOR, {
    message: `slice must be a slice role (${SLICE_ROLES.join(', ')}) or a slice id slice:sha256:<64 lowercase hex>`,
  })
  slice!: string;
  @IsString() @Length(1, MAX_KEY_LENGTH) metric!: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) min?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @IsNotBelowMin() max?: number;
}

/** Which deployments or models a policy is for; it applies to a target that either list names. */
@JSONSchema({ minProperties: 1 })
export class PolicyScope {
  @IsNameList() deployments?: string[];
  @IsNameList() models?: string[];
}

export class PolicySpec {
  /** Absent: the policy applies to every deployment and model. */
  @IsOptional() @IsObject() @NamesATarget() @ValidateNested() @Type(() => PolicyScope) appliesTo?: PolicyScope;
  @IsIn(CAPTURE_LEVELS) captureLevel!: CaptureLevel;
  @IsOptional()
  @IsArray()
  @ArrayUnique({ message: 'requiredFields must name each field at most once' })
  @IsIn(REQUIRED_FIELDS, { each: true })
  requiredFields?: RequiredField[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST_ENTRIES)
  // Two entries for one slice and metric would give two requirements of one name.
  @ArrayUnique((entry: RequiredEvaluation) => `${entry?.slice} ${entry?.metric}`, {
    message: 'requiredEvaluations must name each slice and metric at most once',
  })
  @ValidateNested({ each: true })
  @Type(() => RequiredEvaluation)
  requiredEvaluations?: RequiredEvaluation[];
  /** `true` fails the policy on any flag of an input slice; `{ minSeverity }` only on flags that severe or worse. */
  @IsOptional()
  @ValidateIf((spec: PolicySpec) => typeof spec.forbidFlaggedSlices !== 'boolean')
  @IsObject({ message: 'forbidFlaggedSlices must be true, false or { minSeverity }' })
  @ValidateNested()
  @Type(() => FlaggedSliceRule)
  // The generator cannot see a union in the declarations: state it.
  @JSONSchema((generated) => ({ oneOf: [{ type: 'boolean' }, generated] }))
  forbidFlaggedSlices?: boolean | FlaggedSliceRule;
  /**
   * The approver of a promotion must be neither the principal that recorded
   * the run that trained the model (its API key, whatever the run's payload
   * names) nor the run's declared owner; `{ modelRegistrar: true }` also
   * excludes the principal that registered the model version (DESIGN.md §6).
   */
  @IsOptional()
  @ValidateIf((spec: PolicySpec) => typeof spec.separationOfDuties !== 'boolean')
  @IsObject({ message: 'separationOfDuties must be true, false or { modelRegistrar }' })
  @ValidateNested()
  @Type(() => SeparationOfDutiesRule)
  @JSONSchema((generated) => ({ oneOf: [{ type: 'boolean' }, generated] }))
  separationOfDuties?: boolean | SeparationOfDutiesRule;
  /**
   * `digest-only`: the inference service refuses raw prediction outputs of
   * the deployments the policy applies to, so only their digests are ever
   * stored. Absent or `raw`: outputs may be recorded (redacted for roles without clearance).
   */
  @IsOptional() @IsIn(OUTPUT_CAPTURES) outputs?: OutputCapture;
}

export class PolicyMetadata {
  @IsName() name!: string;
  @IsOptional() @IsString() @Length(0, 4000) description?: string;
}

/** A provenance policy as validatePolicy returns it: the document as written, checked. */
export class ProvenancePolicy {
  @IsIn([POLICY_API_VERSION], { message: `apiVersion must be ${POLICY_API_VERSION}` })
  apiVersion!: typeof POLICY_API_VERSION;
  @IsIn([POLICY_KIND], { message: `kind must be ${POLICY_KIND}` }) kind!: typeof POLICY_KIND;
  @IsObject() @ValidateNested() @Type(() => PolicyMetadata) metadata!: PolicyMetadata;
  @IsObject() @ValidateNested() @Type(() => PolicySpec) spec!: PolicySpec;
}

/** An optional list of distinct names; an empty one would select nothing. */
function IsNameList(): PropertyDecorator {
  const decorators = [
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_LIST_ENTRIES),
    ArrayUnique(),
    IsName({ each: true }),
  ];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** A maximum below the minimum could never be met: refused when the policy is read, not at the first promotion. */
function IsNotBelowMin(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBelowMin',
    validator: {
      validate: (max, args) => {
        const { min } = args?.object as RequiredEvaluation;
        return typeof min !== 'number' || typeof max !== 'number' || max >= min;
      },
      defaultMessage: buildMessage(() => 'max must not be below min'),
    },
  });
}

/** An `appliesTo` that lists nothing would make the policy apply to nothing: surely a mistake. */
function NamesATarget(): PropertyDecorator {
  return ValidateBy({
    name: 'namesATarget',
    validator: {
      validate: (scope) =>
        typeof scope !== 'object' ||
        scope === null ||
        (scope as PolicyScope).deployments !== undefined ||
        (scope as PolicyScope).models !== undefined,
      defaultMessage: buildMessage(() => 'appliesTo must list deployments, models or both'),
    },
  });
}
