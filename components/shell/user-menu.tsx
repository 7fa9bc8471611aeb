/** Placeholder until sign-in lands: shows that nobody is signed in. */
export function UserMenu() {
  return (
    <div className="flex items-center gap-2 text-sm text-slate-500" data-testid="user-menu">
      <span aria-hidden className="h-8 w-8 rounded-full bg-slate-200" />
      <span>Not signed in</span>
    </div>
  );
}
