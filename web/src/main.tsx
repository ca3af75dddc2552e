import { render } from 'preact';
import { DebriefPage } from './debrief.tsx';
import { FacilitatorPage } from './facilitator.tsx';
import { HomePage } from './home.tsx';
import { JoinPage } from './join.tsx';
import { TeamPage } from './team.tsx';
import './styles.css';

/** The pages by path: /, /join[/CODE], /team/GAME, /facilitate/GAME#secret, /debrief/GAME#key. */
function App() {
  const parts = location.pathname.split('/').filter((p) => p !== '');
  const [page, arg = ''] = parts;
  switch (page) {
    case undefined:
      return <HomePage />;
    case 'join':
      return <JoinPage code={decodeURIComponent(arg)} />;
    case 'team':
      return <TeamPage game={arg} />;
    case 'facilitate':
      return <FacilitatorPage game={arg} />;
    case 'debrief':
      return <DebriefPage game={arg} />;
    default:
      return (
        <main class="narrow">
          <h1>No such page</h1>
          <p>
            <a href="/">Start page</a> · <a href="/join">Join a team</a>
          </p>
        </main>
      );
  }
}

render(<App />, document.getElementById('app') as HTMLElement);
