// Public to the rest of src: the ThoughtSpot connections a request can target (registry.ts) and the rules for
// registering one (validate.ts).

export {
  createConnectionRegistry,
  REVALIDATE_MS,
  type ClientFactory,
  type ConnectionRegistry,
  type CredentialReader,
  type RegistryDependencies,
  type ResolvedConnection,
  UnknownConnectionError,
} from './registry.js';
