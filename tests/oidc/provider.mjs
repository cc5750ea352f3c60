// A real OpenID Connect provider (the oidc-provider package) on loopback, for the sign-on
// tests only. Usage: node provider.mjs PORT REDIRECT_URI
// Any login name is accepted with any password (the package's development login pages);
// names starting with "planung." are in the group "klebepunkt-moderation".
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const configuration = {
  clients: [
    {
      client_id: "klebepunkt",
      client_secret: "test-only-client-secret",
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@koblenz.example`,
          email_verified: true,
          name: id,
          preferred_username: id,
          groups: id.startsWith("planung.") ? ["klebepunkt-moderation", "rathaus"] : ["rathaus"],
        };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["test-only-cookie-key"] },
  pkce: { required: () => true },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
};

const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
provider.listen(Number(port), "127.0.0.1", () => {
  console.log("ready");
});
