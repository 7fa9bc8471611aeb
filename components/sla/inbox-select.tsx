/** "All my inboxes" or one of them, for the supervisor pages' filters. */
export function InboxSelect({
  id,
  inboxes,
  value,
  onChange,
}: {
  id: string;
  inboxes: { id: string; name: string }[];
  value: string;
  onChange: (inboxId: string) => void;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        Inbox
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        <option value="">All my inboxes</option>
        {inboxes.map((inbox) => (
          <option key={inbox.id} value={inbox.id}>
            {inbox.name}
          </option>
        ))}
      </select>
    </div>
  );
}
