namespace DtiPortal.Domain.Tests;

public class DomainExceptionTests
{
    [Fact]
    public void Message_WhenCreated_IsKept()
    {
        var ex = new DomainException("Mã đơn vị bị trùng");
        Assert.Equal("Mã đơn vị bị trùng", ex.Message);
    }
}
