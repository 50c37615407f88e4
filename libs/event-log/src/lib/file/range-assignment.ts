export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface GroupMember {
  id: string;
  topics: readonly string[];
}

/**
 * Kafka's range assignment: for each topic, the members subscribed to it,
 * in the order given, each take a contiguous range of its partitions; when
 * the count does not divide evenly the first members take one more.
 */
export function assignRanges(
  members: readonly GroupMember[],
  partitionsOf: (topic: string) => number,
): Map<string, TopicPartition[]> {
  const assignment = new Map<string, TopicPartition[]>(members.map((member) => [member.id, []]));
  const topics = [...new Set(members.flatMap((member) => member.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((member) => member.topics.includes(topic));
    const partitions = partitionsOf(topic);
    const share = Math.floor(partitions / subscribers.length);
    const extra = partitions % subscribers.length;
    subscribers.forEach((member, i) => {
      const first = i * share + Math.min(i, extra);
      const count = share + (i < extra ? 1 : 0);
      for (let partition = first; partition < first + count; partition++) {
        assignment.get(member.id)?.push({ topic, partition });
      }
    });
  }
  return assignment;
}
