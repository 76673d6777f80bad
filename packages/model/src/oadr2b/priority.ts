// Event priority. oadr_ei_20b.xsd eventDescriptor/priority: "0 indicates no priority", the lowest;
// 1 is the highest and larger numbers are lower. OpenADR 3 (openadr3.yaml event.priority): lower
// is higher, 0 the highest, absent = no priority. So 3.x p <-> 2.0b p+1, absent <-> 0: a bijection.

export function priorityTo2b(priority: number | null | undefined): number {
  return priority === undefined || priority === null ? 0 : priority + 1;
}

export function priorityFrom2b(priority: number): number | undefined {
  return priority === 0 ? undefined : priority - 1;
}
