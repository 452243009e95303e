-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "userDirectory" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "identityKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "inactive" BOOLEAN NOT NULL DEFAULT false,
    "removedExternally" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserRole" (
    "userRef" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "UserRole_pkey" PRIMARY KEY ("userRef","role")
);

-- CreateTable
CREATE TABLE "UserGroup" (
    "userRef" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "UserGroup_pkey" PRIMARY KEY ("userRef","name")
);

-- CreateTable
CREATE TABLE "UserAttribute" (
    "id" TEXT NOT NULL,
    "userRef" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "attributeType" TEXT NOT NULL,
    "attributeValue" TEXT NOT NULL,

    CONSTRAINT "UserAttribute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Stream" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerId" TEXT,

    CONSTRAINT "Stream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "App" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "streamId" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "publishTime" TIMESTAMP(3),
    "lastReloadTime" TIMESTAMP(3),
    "fileSize" BIGINT NOT NULL DEFAULT 0,
    "script" TEXT NOT NULL DEFAULT '',
    "engineNodeId" TEXT,

    CONSTRAINT "App_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppObject" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "approved" BOOLEAN NOT NULL DEFAULT false,
    "ownerId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,

    CONSTRAINT "AppObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityRule" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT 'Security',
    "type" TEXT NOT NULL DEFAULT 'Custom',
    "resourceFilter" TEXT NOT NULL,
    "rule" TEXT NOT NULL DEFAULT '',
    "actions" INTEGER NOT NULL,
    "ruleContext" INTEGER NOT NULL DEFAULT 0,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "comment" TEXT NOT NULL DEFAULT '',
    "seedId" TEXT,

    CONSTRAINT "SecurityRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomPropertyDefinition" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "valueType" TEXT NOT NULL DEFAULT 'Text',
    "choiceValues" TEXT NOT NULL DEFAULT '[]',
    "objectTypes" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "CustomPropertyDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomPropertyValue" (
    "id" TEXT NOT NULL,
    "definitionId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "userRef" TEXT,
    "appId" TEXT,
    "streamId" TEXT,
    "appObjectId" TEXT,
    "dataConnectionId" TEXT,

    CONSTRAINT "CustomPropertyValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TagLink" (
    "id" TEXT NOT NULL,
    "tagId" TEXT NOT NULL,
    "userRef" TEXT,
    "appId" TEXT,
    "streamId" TEXT,
    "appObjectId" TEXT,
    "dataConnectionId" TEXT,

    CONSTRAINT "TagLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataConnection" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'folder',
    "connectionString" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,

    CONSTRAINT "DataConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VirtualProxyConfig" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "authenticationMethod" TEXT NOT NULL DEFAULT 'ticket',
    "anonymousAccessMode" INTEGER NOT NULL DEFAULT 0,
    "headerAuthenticationHeaderName" TEXT NOT NULL DEFAULT '',
    "headerAuthenticationStaticUserDirectory" TEXT NOT NULL DEFAULT '',
    "headerAuthenticationDynamicUserDirectory" TEXT NOT NULL DEFAULT '',
    "jwtPublicKeyCertificate" TEXT NOT NULL DEFAULT '',
    "jwtAttributeUserId" TEXT NOT NULL DEFAULT '',
    "jwtAttributeUserDirectory" TEXT NOT NULL DEFAULT '',
    "jwtAudience" TEXT NOT NULL DEFAULT '',
    "jwtAttributeMap" TEXT NOT NULL DEFAULT '{}',
    "sessionCookieHeaderName" TEXT NOT NULL DEFAULT 'X-Qlik-Session',
    "sessionInactivityTimeout" INTEGER NOT NULL DEFAULT 30,
    "sameSite" TEXT NOT NULL DEFAULT 'Lax',
    "websocketCrossOriginWhiteList" TEXT NOT NULL DEFAULT '[]',
    "maxSessionsPerUser" INTEGER NOT NULL DEFAULT 5,
    "sessionLimitPolicy" TEXT NOT NULL DEFAULT 'evict-oldest',

    CONSTRAINT "VirtualProxyConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VirtualProxyServerNode" (
    "virtualProxyId" TEXT NOT NULL,
    "serverNodeId" TEXT NOT NULL,

    CONSTRAINT "VirtualProxyServerNode_pkey" PRIMARY KEY ("virtualProxyId","serverNodeId")
);

-- CreateTable
CREATE TABLE "ServerNode" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hostName" TEXT NOT NULL,
    "isCentral" BOOLEAN NOT NULL DEFAULT false,
    "engineEnabled" BOOLEAN NOT NULL DEFAULT false,
    "proxyEnabled" BOOLEAN NOT NULL DEFAULT false,
    "repositoryEnabled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ServerNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationCertificate" (
    "id" TEXT NOT NULL,
    "createdDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "revoked" BOOLEAN NOT NULL DEFAULT false,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "IntegrationCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_identityKey_key" ON "User"("identityKey");

-- CreateIndex
CREATE UNIQUE INDEX "User_userDirectory_userId_key" ON "User"("userDirectory", "userId");

-- CreateIndex
CREATE INDEX "UserRole_role_idx" ON "UserRole"("role");

-- CreateIndex
CREATE INDEX "UserGroup_name_idx" ON "UserGroup"("name");

-- CreateIndex
CREATE INDEX "UserAttribute_userRef_idx" ON "UserAttribute"("userRef");

-- CreateIndex
CREATE INDEX "Stream_ownerId_idx" ON "Stream"("ownerId");

-- CreateIndex
CREATE INDEX "App_ownerId_idx" ON "App"("ownerId");

-- CreateIndex
CREATE INDEX "App_streamId_idx" ON "App"("streamId");

-- CreateIndex
CREATE INDEX "AppObject_appId_idx" ON "AppObject"("appId");

-- CreateIndex
CREATE INDEX "AppObject_ownerId_idx" ON "AppObject"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityRule_seedId_key" ON "SecurityRule"("seedId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomPropertyDefinition_name_key" ON "CustomPropertyDefinition"("name");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_definitionId_idx" ON "CustomPropertyValue"("definitionId");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_userRef_idx" ON "CustomPropertyValue"("userRef");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_appId_idx" ON "CustomPropertyValue"("appId");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_streamId_idx" ON "CustomPropertyValue"("streamId");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_appObjectId_idx" ON "CustomPropertyValue"("appObjectId");

-- CreateIndex
CREATE INDEX "CustomPropertyValue_dataConnectionId_idx" ON "CustomPropertyValue"("dataConnectionId");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");

-- CreateIndex
CREATE INDEX "TagLink_tagId_idx" ON "TagLink"("tagId");

-- CreateIndex
CREATE INDEX "TagLink_userRef_idx" ON "TagLink"("userRef");

-- CreateIndex
CREATE INDEX "TagLink_appId_idx" ON "TagLink"("appId");

-- CreateIndex
CREATE INDEX "TagLink_streamId_idx" ON "TagLink"("streamId");

-- CreateIndex
CREATE INDEX "TagLink_appObjectId_idx" ON "TagLink"("appObjectId");

-- CreateIndex
CREATE INDEX "TagLink_dataConnectionId_idx" ON "TagLink"("dataConnectionId");

-- CreateIndex
CREATE UNIQUE INDEX "DataConnection_name_key" ON "DataConnection"("name");

-- CreateIndex
CREATE INDEX "DataConnection_ownerId_idx" ON "DataConnection"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "VirtualProxyConfig_prefix_key" ON "VirtualProxyConfig"("prefix");

-- CreateIndex
CREATE INDEX "VirtualProxyServerNode_serverNodeId_idx" ON "VirtualProxyServerNode"("serverNodeId");

-- CreateIndex
CREATE UNIQUE INDEX "ServerNode_hostName_key" ON "ServerNode"("hostName");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationCertificate_serial_key" ON "IntegrationCertificate"("serial");

-- AddForeignKey
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserGroup" ADD CONSTRAINT "UserGroup_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserAttribute" ADD CONSTRAINT "UserAttribute_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stream" ADD CONSTRAINT "Stream_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_engineNodeId_fkey" FOREIGN KEY ("engineNodeId") REFERENCES "ServerNode"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppObject" ADD CONSTRAINT "AppObject_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppObject" ADD CONSTRAINT "AppObject_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "CustomPropertyDefinition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_appObjectId_fkey" FOREIGN KEY ("appObjectId") REFERENCES "AppObject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomPropertyValue" ADD CONSTRAINT "CustomPropertyValue_dataConnectionId_fkey" FOREIGN KEY ("dataConnectionId") REFERENCES "DataConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_userRef_fkey" FOREIGN KEY ("userRef") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_appObjectId_fkey" FOREIGN KEY ("appObjectId") REFERENCES "AppObject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagLink" ADD CONSTRAINT "TagLink_dataConnectionId_fkey" FOREIGN KEY ("dataConnectionId") REFERENCES "DataConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataConnection" ADD CONSTRAINT "DataConnection_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VirtualProxyServerNode" ADD CONSTRAINT "VirtualProxyServerNode_virtualProxyId_fkey" FOREIGN KEY ("virtualProxyId") REFERENCES "VirtualProxyConfig"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VirtualProxyServerNode" ADD CONSTRAINT "VirtualProxyServerNode_serverNodeId_fkey" FOREIGN KEY ("serverNodeId") REFERENCES "ServerNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
