-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_VirtualProxyConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedDate" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modifiedByUserName" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "authenticationMethod" TEXT NOT NULL DEFAULT 'ticket',
    "anonymousAccessMode" INTEGER NOT NULL DEFAULT 0,
    "headerAuthenticationHeaderName" TEXT NOT NULL DEFAULT '',
    "headerAuthenticationStaticUserDirectory" TEXT NOT NULL DEFAULT '',
    "headerAuthenticationDynamicUserDirectory" TEXT NOT NULL DEFAULT '',
    "headerAuthenticationTrustedSources" TEXT NOT NULL DEFAULT '["127.0.0.1/32","::1/128"]',
    "jwtPublicKeyCertificate" TEXT NOT NULL DEFAULT '',
    "jwtAttributeUserId" TEXT NOT NULL DEFAULT '',
    "jwtAttributeUserDirectory" TEXT NOT NULL DEFAULT '',
    "jwtAudience" TEXT NOT NULL DEFAULT '',
    "jwtIssuer" TEXT NOT NULL DEFAULT '',
    "jwtAttributeMap" TEXT NOT NULL DEFAULT '{}',
    "oidcConfigurationEndpointUri" TEXT NOT NULL DEFAULT '',
    "oidcClientId" TEXT NOT NULL DEFAULT '',
    "oidcClientSecret" TEXT NOT NULL DEFAULT '',
    "oidcScope" TEXT NOT NULL DEFAULT 'openid profile email',
    "oidcRealm" TEXT NOT NULL DEFAULT '',
    "oidcAttributeSub" TEXT NOT NULL DEFAULT 'sub',
    "oidcAttributeName" TEXT NOT NULL DEFAULT 'name',
    "oidcAttributeGroups" TEXT NOT NULL DEFAULT 'groups',
    "oidcAttributeEmail" TEXT NOT NULL DEFAULT 'email',
    "oidcAttributeMap" TEXT NOT NULL DEFAULT '{}',
    "sessionCookieHeaderName" TEXT NOT NULL DEFAULT 'X-Qlik-Session',
    "sessionInactivityTimeout" INTEGER NOT NULL DEFAULT 30,
    "sameSite" TEXT NOT NULL DEFAULT 'Lax',
    "websocketCrossOriginWhiteList" TEXT NOT NULL DEFAULT '[]',
    "maxSessionsPerUser" INTEGER NOT NULL DEFAULT 5,
    "sessionLimitPolicy" TEXT NOT NULL DEFAULT 'evict-oldest'
);
INSERT INTO "new_VirtualProxyConfig" ("anonymousAccessMode", "authenticationMethod", "createdDate", "description", "headerAuthenticationDynamicUserDirectory", "headerAuthenticationHeaderName", "headerAuthenticationStaticUserDirectory", "headerAuthenticationTrustedSources", "id", "jwtAttributeMap", "jwtAttributeUserDirectory", "jwtAttributeUserId", "jwtAudience", "jwtIssuer", "jwtPublicKeyCertificate", "maxSessionsPerUser", "modifiedByUserName", "modifiedDate", "prefix", "sameSite", "sessionCookieHeaderName", "sessionInactivityTimeout", "sessionLimitPolicy", "websocketCrossOriginWhiteList") SELECT "anonymousAccessMode", "authenticationMethod", "createdDate", "description", "headerAuthenticationDynamicUserDirectory", "headerAuthenticationHeaderName", "headerAuthenticationStaticUserDirectory", "headerAuthenticationTrustedSources", "id", "jwtAttributeMap", "jwtAttributeUserDirectory", "jwtAttributeUserId", "jwtAudience", "jwtIssuer", "jwtPublicKeyCertificate", "maxSessionsPerUser", "modifiedByUserName", "modifiedDate", "prefix", "sameSite", "sessionCookieHeaderName", "sessionInactivityTimeout", "sessionLimitPolicy", "websocketCrossOriginWhiteList" FROM "VirtualProxyConfig";
DROP TABLE "VirtualProxyConfig";
ALTER TABLE "new_VirtualProxyConfig" RENAME TO "VirtualProxyConfig";
CREATE UNIQUE INDEX "VirtualProxyConfig_prefix_key" ON "VirtualProxyConfig"("prefix");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
