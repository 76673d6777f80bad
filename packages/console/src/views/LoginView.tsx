// Log in with a BL client's credentials; the VTN's own token endpoint issues the token.
import { type FormEvent, useState } from "react";
import { defaultBase, login, type Session } from "../api/session.ts";
import { Field } from "../ui.tsx";

export function LoginView({ onLogin, notice }: { onLogin: (s: Session) => void; notice?: string }) {
  const [clientId, setClientId] = useState("");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(defaultBase(), clientId.trim(), secret));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">gridlink console</h1>
        <p className="muted">Log in with the credentials of a BL (business logic) client of this VTN.</p>
        {notice ? (
          <p className="banner" role="status">
            {notice}
          </p>
        ) : null}
        <Field id="login-client" label="Client ID">
          <input
            id="login-client"
            autoComplete="username"
            required
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
          />
        </Field>
        <Field id="login-secret" label="Client secret" error={error}>
          <input
            id="login-secret"
            type="password"
            autoComplete="current-password"
            required
            value={secret}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "login-secret-error" : undefined}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
        <p className="hint">
          The token is kept in this tab only (session storage) and is sent to the VTN, never put in a URL. First start
          of a VTN prints demo credentials; they are also in <code>data/demo-credentials.json</code>.
        </p>
      </form>
    </main>
  );
}
