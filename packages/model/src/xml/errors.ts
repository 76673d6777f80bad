// Why an XML message was not accepted. Each binding renders these in its own dialect (a 2.0b
// oadrResponse with a 4xx responseCode, a CIM Reply.Error); none carries a stack to the wire.

/** The text was refused before any XML parser saw it: too large, a DTD, too deep, not XML. */
export class XmlRefused extends Error {
  constructor(
    readonly reason: "too-large" | "doctype" | "too-deep" | "malformed",
    message: string,
  ) {
    super(message);
  }
}

/** One schema violation: libxml2's message, the element's path and line. */
export interface XsdIssue {
  message: string;
  /** The local name of the element the message is about, when libxml2 names one. */
  element?: string;
  /** An XPath of the failing node, e.g. `/oadr:oadrPayload/oadr:oadrSignedObject/...`. */
  path?: string;
  line: number;
}

/** The document parsed but is not valid against the schema. `message` names the first failing element. */
export class XmlInvalid extends Error {
  constructor(readonly issues: XsdIssue[]) {
    super(describeIssues(issues));
  }
}

export function describeIssues(issues: XsdIssue[]): string {
  if (issues.length === 0) return "not valid against the schema";
  const first = issues[0];
  const where = first.path ? ` at ${first.path}` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `line ${first.line}${where}: ${first.message}${more}`;
}
