// XML signatures of 2.0b payloads (OpenADR 2.0b profile §XML signatures): written once in
// @gridlink/model/xml, which the 2.0b VEN client uses too; here under the binding's names.
export {
  checkOadrSignature as checkPayloadSignature,
  type OadrSignatureCheck as SignatureCheck,
  signOadrPayload as signPayload,
  type XmlSigningKey as SigningKey,
} from "@gridlink/model/xml";
