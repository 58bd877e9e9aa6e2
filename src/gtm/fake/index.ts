/** The fake Tag Manager API v2 (see README.md next to this file). */
export { FakeApiError, googleErrorBody } from "./errors";
export * from "./gallery";
export {
  type FakeClock,
  FakeQuota,
  type FakeTagManager,
  type FakeTagManagerOptions,
  type FaultKind,
  type FaultRule,
  matching,
  type RecordedRequest,
  startFakeTagManager,
} from "./server";
export type {
  BehindOnCreateVersion,
  CreateContainerOptions,
  FakeStateOptions,
  FakeTagManagerState,
  GalleryImportRequest,
  SeededContainer,
  StoreSnapshot,
} from "./state";
