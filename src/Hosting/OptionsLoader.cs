using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace P2PCluster.Hosting;

/// <summary>
/// Reads options classes key by key so that every mistake — an unknown section or key, a value of the wrong type, a
/// value out of range — is reported with the exact <c>section.key</c> an operator has to fix, all at once, before
/// anything starts. (The stock binder stops at the first error and names C# members, not the keys in p2p.conf.)
/// </summary>
public sealed class OptionsLoader(IConfiguration configuration)
{
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _knownSections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Binds and validates the section named by <typeparamref name="T"/>'s <see cref="ConfigSectionAttribute"/>.</summary>
    public T Load<T>() where T : class, new()
    {
        string section = typeof(T).GetCustomAttribute<ConfigSectionAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [ConfigSection]");
        _knownSections.Add(section);
        return Bind<T>(configuration.GetSection(section), section);
    }

    /// <summary>
    /// Binds a section whose keys are names chosen by the operator (e.g. <c>maps: { prontera: { critical: true } }</c>),
    /// each child to a <typeparamref name="T"/>; <paramref name="validName"/> checks the names.
    /// </summary>
    public IReadOnlyDictionary<string, T> LoadNamed<T>(string section, Func<string, bool> validName, string nameRule) where T : class, new()
    {
        _knownSections.Add(section);
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (!validName(child.Key))
            {
                _errors.Add($"{section}.{child.Key}: invalid name ({nameRule})");
                continue;
            }
            if (!string.IsNullOrEmpty(child.Value))
            {
                _errors.Add($"{section}.{child.Key}: expected keys or nothing (an empty entry takes the defaults), found '{child.Value}'");
                continue;
            }
            result[child.Key] = Bind<T>(child, $"{section}.{child.Key}");
        }
        return result;
    }

    private T Bind<T>(IConfigurationSection configurationSection, string section) where T : class, new()
    {
        var options = new T();
        BindInto(options, configurationSection, section);
        return options;
    }

    /// <summary>
    /// Sets <paramref name="options"/>' [ConfigKey] properties from <paramref name="configurationSection"/>. A property
    /// holding an options object is a nested section (e.g. <c>alerts.rules.vps_share</c>) bound into the object it
    /// already holds, so its defaults stay; an <see cref="IReadOnlyList{T}"/> of strings takes a YAML list (or one
    /// semicolon-separated value, as an environment variable gives it).
    /// </summary>
    private void BindInto(object options, IConfigurationSection configurationSection, string section)
    {
        var type = options.GetType();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<ConfigKeyAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<ConfigKeyAttribute>()!.Key, StringComparer.OrdinalIgnoreCase);

        foreach (var child in configurationSection.GetChildren())
        {
            string name = $"{section}.{child.Key}";
            if (!properties.TryGetValue(child.Key, out var property))
            {
                _errors.Add($"{name}: unknown key (known keys: {string.Join(", ", properties.Keys.Order())})");
                continue;
            }
            if (property.PropertyType == typeof(IReadOnlyList<string>))
            {
                property.SetValue(options, ReadList(child));
                continue;
            }
            if (ListElementSection(property.PropertyType) is { } elementType)
            {
                if (child.Value is null) property.SetValue(options, BindList(elementType, child, name));
                else if (child.Value.Length > 0) _errors.Add($"{name}: expected a list of entries with keys, found '{child.Value}'");
                continue;
            }
            if (IsNestedSection(property.PropertyType))
            {
                if (child.Value is null) BindInto(property.GetValue(options)!, child, name);
                else if (child.Value.Length > 0) _errors.Add($"{name}: expected keys, found '{child.Value}'");
                continue;
            }
            if (child.Value is null)
            {
                _errors.Add($"{name}: expected a single value, found a section");
                continue;
            }
            if (TryConvert(child.Value, property.PropertyType, out object? value))
                property.SetValue(options, value);
            else
                _errors.Add($"{name}: '{child.Value}' is not {Describe(property.PropertyType)}");
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            string member = result.MemberNames.FirstOrDefault() ?? "";
            string key = type.GetProperty(member)?.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? member;
            object? value = type.GetProperty(member)?.GetValue(options);
            _errors.Add($"{section}.{key} = {Format(value)}: {result.ErrorMessage}");
        }
    }

    private static bool IsNestedSection(Type type) =>
        type.IsClass && type != typeof(string)
        && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetCustomAttribute<ConfigKeyAttribute>() is not null);

    /// <summary>The element type of an <see cref="IReadOnlyList{T}"/> of options objects (e.g. <c>admin.api_keys</c>); null otherwise.</summary>
    private static Type? ListElementSection(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
        && type.GetGenericArguments()[0] is var element && IsNestedSection(element) && element.GetConstructor(Type.EmptyTypes) is not null
            ? element
            : null;

    /// <summary>A YAML list of entries with keys, each bound and validated as <c>section.key.N</c> (environment: <c>P2P_section__key__N__field</c>).</summary>
    private System.Collections.IList BindList(Type elementType, IConfigurationSection section, string name)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        foreach (var child in section.GetChildren()
                     .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue))
        {
            string entry = $"{name}.{child.Key}";
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                _errors.Add($"{entry}: expected a list entry (- name: ...), found the key '{child.Key}'");
            else if (child.Value is not null)
                _errors.Add($"{entry}: expected keys, found '{child.Value}'");
            else
            {
                object item = Activator.CreateInstance(elementType)!;
                BindInto(item, child, entry);
                list.Add(item);
            }
        }
        return list;
    }

    private static IReadOnlyList<string> ReadList(IConfigurationSection section) =>
        section.Value is { } single
            ? single.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren()
                .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue)
                .Select(c => c.Value ?? "")
                .ToList();

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every error found so far, and any unknown section.</summary>
    public void ThrowIfInvalid()
    {
        foreach (var section in configuration.GetChildren())
        {
            if (!_knownSections.Contains(section.Key))
                _errors.Add($"{section.Key}: unknown section (known sections: {string.Join(", ", _knownSections.Order())})");
        }
        if (_errors.Count > 0) throw new ConfigurationException(_errors);
    }

    private static bool TryConvert(string raw, Type type, out object? value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        if (target == typeof(string)) { value = raw; return true; }
        if (string.IsNullOrWhiteSpace(raw)) return type != target; // empty → null for nullable types
        if (target == typeof(bool)) { if (bool.TryParse(raw, out bool b)) value = b; return value is not null; }
        if (target == typeof(int)) { if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) value = i; return value is not null; }
        if (target == typeof(long)) { if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)) value = l; return value is not null; }
        if (target == typeof(double)) { if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) value = d; return value is not null; }
        if (target.IsEnum) { if (Enum.TryParse(target, raw, ignoreCase: true, out object? e) && Enum.IsDefined(target, e)) value = e; return value is not null; }
        throw new NotSupportedException($"options of type {target} are not supported");
    }

    private static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(bool)) return "a boolean (true or false)";
        if (target == typeof(int) || target == typeof(long)) return "a whole number";
        if (target == typeof(double)) return "a number";
        if (target.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(target).Select(n => n.ToLowerInvariant()));
        return "a " + target.Name;
    }

    private static string Format(object? value) => value switch
    {
        null => "(empty)",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        IReadOnlyList<string> list => "[" + string.Join(", ", list.Select(i => $"'{i}'")) + "]",
        System.Collections.ICollection collection => $"({collection.Count} entries)",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
