/**
 * Runs `work` over `items` with at most `limit` running at once (0 means no limit) and waits for
 * all of them, in input order. A failure of one never abandons the others: swaps already started
 * in Azure finish whatever we do, so their results must be collected.
 */
export async function forEachLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  const width = limit <= 0 ? items.length : Math.min(limit, items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}
