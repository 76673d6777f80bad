// The console shell: log in, then a header (VTN, live state, log out), the navigation and one view.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createApi } from "./api/client.ts";
import { clearSession, loadSession, type Session, saveSession } from "./api/session.ts";
import { useLiveData } from "./live.tsx";
import { formatClock } from "./logic/local-time.ts";
import { type ConsoleAction, can } from "./logic/permissions.ts";
import { ChainView } from "./views/ChainView.tsx";
import { DashboardView } from "./views/DashboardView.tsx";
import { EventsView } from "./views/EventsView.tsx";
import { LoginView } from "./views/LoginView.tsx";
import { ProgramsView } from "./views/ProgramsView.tsx";
import { ReportsView } from "./views/ReportsView.tsx";
import { ScenariosView } from "./views/ScenariosView.tsx";
import { SubscriptionsView } from "./views/SubscriptionsView.tsx";
import { VensView } from "./views/VensView.tsx";

const VIEWS = [
  { id: "dashboard", label: "Today" },
  { id: "programs", label: "Programs" },
  { id: "events", label: "Events" },
  { id: "vens", label: "VENs & resources" },
  { id: "reports", label: "Reports" },
  { id: "subscriptions", label: "Subscriptions" },
  { id: "chain", label: "Chain" },
  { id: "scenarios", label: "Scenarios" },
] as const;
type ViewId = (typeof VIEWS)[number]["id"];

function viewFromHash(): ViewId {
  const h = window.location.hash.replace(/^#\/?/, "").split("?")[0];
  return (VIEWS.find((v) => v.id === h)?.id ?? "dashboard") as ViewId;
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [notice, setNotice] = useState<string>();
  const logout = useCallback((message?: string) => {
    clearSession();
    setSession(undefined);
    setNotice(message);
  }, []);
  if (!session)
    return (
      <LoginView
        notice={notice}
        onLogin={(s) => {
          saveSession(s);
          setNotice(undefined);
          setSession(s);
        }}
      />
    );
  return <Console session={session} onLogout={logout} />;
}

function Console({ session, onLogout }: { session: Session; onLogout: (message?: string) => void }) {
  const api = useMemo(() => createApi(session, (m) => onLogout(m)), [session, onLogout]);
  const [view, setView] = useState<ViewId>(viewFromHash);
  const [paused, setPaused] = useState(false);
  const { data, refresh } = useLiveData(api, session, paused);
  const nav = useScrollCue<HTMLElement>();

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    // The token's end is the session's end: go back to the login form when it expires.
    const t = setTimeout(
      () => onLogout("Your session expired. Log in again."),
      Math.max(0, session.expiresAt - Date.now()),
    );
    return () => clearTimeout(t);
  }, [session, onLogout]);

  const may = useCallback((action: ConsoleAction) => can(session.scopes, action), [session]);
  const props = { api, data, refresh, may };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">gridlink console</span>
        <span className="vtn" title="OpenADR 3.1.0 base URL">
          {session.base}
        </span>
        <span className="live" aria-live="polite">
          {data.error ? (
            <span className="bad">{data.error}</span>
          ) : paused ? (
            "Live updates paused"
          ) : data.loadedAt ? (
            `Live · updated ${formatClock(data.loadedAt)}${data.pushed ? " · pushed" : ""}`
          ) : (
            "Loading…"
          )}
        </span>
        <button type="button" className="ghost" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? "Resume live" : "Pause live"}
        </button>
        <span className="who" title="BL client id">
          {session.clientId}
        </span>
        <button type="button" className="ghost" onClick={() => onLogout()}>
          Log out
        </button>
      </header>
      <div className="nav-wrap">
        <nav className={`nav${nav.more ? " nav-more" : ""}`} aria-label="Views" ref={nav.ref} onScroll={nav.update}>
          {VIEWS.map((v) => (
            <a key={v.id} href={`#/${v.id}`} aria-current={v.id === view ? "page" : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        {nav.more ? (
          <span className="nav-cue" aria-hidden="true" data-testid="nav-cue">
            ›
          </span>
        ) : null}
      </div>
      <main id="main" tabIndex={-1}>
        {view === "dashboard" && <DashboardView {...props} />}
        {view === "programs" && <ProgramsView {...props} />}
        {view === "events" && <EventsView {...props} />}
        {view === "vens" && <VensView {...props} />}
        {view === "reports" && <ReportsView {...props} />}
        {view === "subscriptions" && <SubscriptionsView {...props} />}
        {view === "chain" && <ChainView {...props} />}
        {view === "scenarios" && <ScenariosView {...props} />}
      </main>
    </div>
  );
}

/**
 * Whether an element scrolls sideways and has more to show past its right edge: on a narrow
 * screen the navigation becomes a row, and a fade with an arrow says that more views follow.
 */
function useScrollCue<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [more, setMore] = useState(false);
  const update = useCallback(() => {
    const el = ref.current;
    setMore(Boolean(el && el.scrollWidth - el.clientWidth - el.scrollLeft > 2));
  }, []);
  useEffect(() => {
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, [update]);
  return { ref, more, update };
}
