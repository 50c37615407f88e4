import { ApiPropertyOptional } from '@nestjs/swagger';
import { TIMELINE_BUCKETS, type TimelineBucket } from '@prov/lineage-queries';
import { IsIn, IsOptional } from 'class-validator';

export class TimelineRequest {
  /** UTC hours, UTC days or ISO weeks (from Monday 00:00 UTC); days when left out. */
  @ApiPropertyOptional({ enum: TIMELINE_BUCKETS, default: 'day' })
  @IsOptional()
  @IsIn(TIMELINE_BUCKETS)
  bucket?: TimelineBucket;
}
