import { InMemorySecretStore, ManualClock } from './twins';
import { secretStoreContract } from './secret-store-contract';

secretStoreContract('in-memory twin', async () => {
  const store = new InMemorySecretStore(new ManualClock());
  return {
    store,
    isBoundTo: async (ref, reader) => {
      const bound = (await store.get(ref)) === null ? null : store.readerOf(ref.runnerId);
      return bound?.compute === reader.compute && bound.instanceId === reader.instanceId;
    },
    close: async () => undefined,
  };
});
