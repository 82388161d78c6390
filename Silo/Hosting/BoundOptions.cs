using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Options the silo binds from configuration: registered with the options pattern (validated again when the host
/// starts) and read at once as well, for the registrations that depend on them, so that configuration the silo cannot
/// run with stops it before anything starts, with one line naming the key (<see cref="SiloConfigurationException"/>).
/// </summary>
internal static class BoundOptions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> bound from <paramref name="section"/> over <paramref name="defaults"/> and
    /// checked by <paramref name="validator"/>, and returns it as the silo's services will see it.
    /// </summary>
    public static T AddBoundOptions<T>(
        this IServiceCollection services,
        IConfiguration configuration,
        string section,
        IValidateOptions<T>? validator = null,
        Action<T>? defaults = null)
        where T : class, new()
    {
        var source = configuration.GetSection(section);
        var options = services.AddOptions<T>();
        if (defaults is not null)
        {
            // Before the binding, so that a configured value wins.
            options.Configure(defaults);
        }
        options.Bind(source).ValidateOnStart();
        if (validator is not null)
        {
            services.AddSingleton(validator);
        }
        return Read(source, validator, defaults);
    }

    private static T Read<T>(IConfigurationSection source, IValidateOptions<T>? validator, Action<T>? defaults)
        where T : class, new()
    {
        NameClosedSets<T>(source);
        var options = new T();
        defaults?.Invoke(options);
        try
        {
            source.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's own line names the key and the value it could not convert.
            throw new SiloConfigurationException(e.Message, e);
        }
        return validator?.Validate(Options.DefaultName, options) is { Failed: true } result
            ? throw new SiloConfigurationException(result.FailureMessage)
            : options;
    }

    /// <summary>
    /// An enum-valued key must name one of its members, in any case: the binder would also take a number or a list,
    /// and refuse anything else with a type name the operator never wrote.
    /// </summary>
    private static void NameClosedSets<T>(IConfigurationSection source)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.PropertyType.IsEnum))
        {
            var value = source[property.Name];
            var names = Enum.GetNames(property.PropertyType);
            if (value is not null && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                throw new SiloConfigurationException($"{source.Path}:{property.Name} must be {string.Join(" or ", names).ToLowerInvariant()}");
            }
        }
    }
}
