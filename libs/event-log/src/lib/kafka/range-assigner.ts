import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { assignRanges } from '../range-assignment';

/**
 * Kafka's range assignment (as its Java RangeAssignor: members in member id
 * order, each topic's partitions in contiguous ranges), except that every
 * partition of an exclusive topic goes to one member. kafkajs ships only a
 * round-robin assignor, which would spread a topic's partitions, and so its
 * derived writes, over members.
 */
export function rangeAssigner(exclusiveTopics: readonly string[]): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'ProvenanceRangeAssigner',
    version: 0,
    async assign({ members, topics }) {
      const ordered = members.map(({ memberId }) => memberId).sort();
      const assignment = assignRanges(
        ordered.map((id) => ({ id, topics, exclusiveTopics })),
        (topic) => cluster.findTopicPartitionMetadata(topic).length,
      );
      return ordered.map((memberId) => {
        const byTopic: Record<string, number[]> = {};
        for (const { topic, partition } of assignment.get(memberId) ?? []) (byTopic[topic] ??= []).push(partition);
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 0,
            assignment: byTopic,
            userData: Buffer.alloc(0),
          }),
        };
      });
    },
    protocol({ topics }) {
      return {
        name: 'ProvenanceRangeAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}
