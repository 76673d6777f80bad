// The XML namespaces of OpenADR 2.0b messages (oadr_20b.xsd and the schemas it imports), written
// once for the VTN binding and the VEN client.
export const NS = {
  oadr: "http://openadr.org/oadr-2.0b/2012/07",
  ei: "http://docs.oasis-open.org/ns/energyinterop/201110",
  pyld: "http://docs.oasis-open.org/ns/energyinterop/201110/payloads",
  emix: "http://docs.oasis-open.org/ns/emix/2011/06",
  power: "http://docs.oasis-open.org/ns/emix/2011/06/power",
  scale: "http://docs.oasis-open.org/ns/emix/2011/06/siscale",
  xcal: "urn:ietf:params:xml:ns:icalendar-2.0",
  strm: "urn:ietf:params:xml:ns:icalendar-2.0:stream",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
} as const;
