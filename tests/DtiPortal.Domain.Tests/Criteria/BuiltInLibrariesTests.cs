using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Tests.Criteria;

public class BuiltInLibrariesTests
{
    [Fact]
    public void Ids_WhenListed_IncludeHungYen()
    {
        Assert.Contains("hung-yen-commune-2024", BuiltInLibraries.Ids);
    }

    public static TheoryData<string> AllIds() => new(BuiltInLibraries.Ids);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void TryLoad_WhenBuiltIn_LoadsWithoutErrors(string id)
    {
        var result = BuiltInLibraries.TryLoad(id);
        Assert.True(result.Success, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_WhenUnknownId_ThrowsDomainException()
    {
        var ex = Assert.Throws<DomainException>(() => BuiltInLibraries.Load("khong-co"));
        Assert.Contains("khong-co", ex.Message);
    }
}
