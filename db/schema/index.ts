export * from "./merchants";
export * from "./audit";
export * from "./locations";
export * from "./notifications";
export * from "./outbox";
export * from "./api-keys";
export * from "./templates";
export * from "./credentials";
