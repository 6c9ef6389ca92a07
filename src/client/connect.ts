import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { dataConverterOf } from '../codec';
import { connectionOptionsOf, type JourneysConfig } from '../config';

/** A Temporal client connected per `temporal.yaml`, with the connection to close. */
export interface ConnectedClient {
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * Connects to the profile's Temporal (address, namespace, mTLS or API key), with the data converter the
 * config asks for (encrypting payloads when it has `encryption:`), or the one given.
 */
export async function connectTemporal(
  config: JourneysConfig,
  dataConverter: DataConverter | undefined = dataConverterOf(config),
): Promise<ConnectedClient> {
  const settings = connectionOptionsOf(config);
  const connection = await Connection.connect({
    address: settings.address,
    tls: settings.tls,
    apiKey: settings.apiKey,
  });
  return {
    client: new Client({ connection, namespace: settings.namespace, dataConverter }),
    close: () => connection.close(),
  };
}
