using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ValueGeneration;

namespace DtiPortal.Application.Data;

/// <summary>
/// Takes a row's id from its identity column's own sequence before the insert, so EF writes a plain <c>INSERT</c> without
/// <c>RETURNING id</c>. Needed where row-level security lets the application add rows it may not read back (ADR-006:
/// a reviewer's step notifies the commune's officers; their inbox rows and e-mails are theirs, not the reviewer's), since
/// PostgreSQL checks RETURNING against the read policy. The column stays an identity column (the drift test compares it):
/// values taken here and values the database draws itself come from the same sequence and never collide.
/// </summary>
public sealed class SequenceIdGenerator(string table, string column = "id") : ValueGenerator<long>
{
    private readonly string _sql = $"select nextval(pg_get_serial_sequence('{table}', '{column}')) as \"Value\"";

    public override bool GeneratesTemporaryValues => false;

    // Through the context's own connection: the same role, scope and transaction as the insert that follows.
    public override long Next(EntityEntry entry) =>
        entry.Context.Database.SqlQueryRaw<long>(_sql).AsEnumerable().Single();

    public override async ValueTask<long> NextAsync(EntityEntry entry, CancellationToken cancellationToken = default) =>
        (await entry.Context.Database.SqlQueryRaw<long>(_sql).ToListAsync(cancellationToken)).Single();
}
