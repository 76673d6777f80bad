// The shared XML layer lives in @gridlink/model/xml (the 2.0b VEN needs it too); kept here for the bindings.
export * from "@gridlink/model/xml";
