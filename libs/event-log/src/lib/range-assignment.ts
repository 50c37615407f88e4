export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface GroupMember {
  id: string;
  topics: readonly string[];
  /** Topics of `topics` that one member reads at a time, every partition of them (see ConsumerOptions). */
  exclusiveTopics?: readonly string[];
}

/**
 * Kafka's range assignment: for each topic, the members subscribed to it,
 * in the order given, each take a contiguous range of its partitions; when
 * the count does not divide evenly the first members take one more. Every
 * partition of a topic that a subscriber names exclusive goes to the first
 * subscriber, so one member reads all of them, whatever their count.
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
    if (subscribers.some((member) => member.exclusiveTopics?.includes(topic))) {
      for (let partition = 0; partition < partitions; partition++) {
        assignment.get(subscribers[0].id)?.push({ topic, partition });
      }
      continue;
    }
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
