import type { EntityMeta } from '../db';
import type { EntityKind } from './entity-kind';
import { appObjectKind } from './kinds/app-object.kind';
import { appKind } from './kinds/app.kind';
import { customPropertyKind } from './kinds/custom-property.kind';
import { dataConnectionKind } from './kinds/data-connection.kind';
import { serverNodeKind } from './kinds/server-node.kind';
import { streamKind } from './kinds/stream.kind';
import { systemRuleKind } from './kinds/system-rule.kind';
import { tagKind } from './kinds/tag.kind';
import { userKind } from './kinds/user.kind';
import { virtualProxyKind } from './kinds/virtual-proxy.kind';
import { reloadTaskKind } from './kinds/reload-task.kind';
import { schemaEventKind } from './kinds/schema-event.kind';
import { compositeEventKind } from './kinds/composite-event.kind';
import { executionResultKind } from './kinds/execution-result.kind';
import { userDirectoryKind } from './kinds/user-directory.kind';
import type { QrsType, ResourceType } from './qrs-types';

/** Every `/qrs` type and its kind (a closed table: an unknown type never reaches a store). */
export const ENTITY_KINDS: Readonly<Record<QrsType, EntityKind<EntityMeta>>> = {
  app: appKind,
  'app/object': appObjectKind,
  stream: streamKind,
  user: userKind,
  systemrule: systemRuleKind,
  custompropertydefinition: customPropertyKind,
  tag: tagKind,
  dataconnection: dataConnectionKind,
  virtualproxyconfig: virtualProxyKind,
  servernodeconfiguration: serverNodeKind,
  reloadtask: reloadTaskKind,
  schemaevent: schemaEventKind,
  compositeevent: compositeEventKind,
  executionresult: executionResultKind,
  userdirectory: userDirectoryKind,
};

export function kindOfResource(resourceType: ResourceType): EntityKind<EntityMeta> {
  const kind = Object.values(ENTITY_KINDS).find((k) => k.resourceType === resourceType);
  if (!kind) throw new Error(`no entity kind for ${resourceType}`);
  return kind;
}
